/** @module Change requests of every kind waiting for review (the newest eight). */
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useChangeRequests } from "../change-requests/change-requests-query";
import { ChangeRequestsTable } from "../change-requests/change-requests-table";

export function PendingRequestsCard({ className }: { className?: string }) {
  const pending = useChangeRequests({ status: "pending" });
  return (
    <Card className={className} aria-labelledby="pending-title">
      <CardHeader>
        <CardTitle id="pending-title">
          Pending change requests{" "}
          {pending.data && (
            <Badge tone={pending.data.total ? "warning" : "neutral"} data-testid="pending-count">
              {pending.data.total}
            </Badge>
          )}
        </CardTitle>
        <Link className="text-sm text-primary underline-offset-2 hover:underline" to="/change-requests">
          All requests
        </Link>
      </CardHeader>
      <CardContent>
        <QueryState query={pending} loadingLabel="Loading change requests">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>Nothing waits for approval.</Empty>
            ) : (
              <ChangeRequestsTable
                items={data.items.slice(0, 8)}
                label="Pending change requests"
                withStatus={false}
                data-testid="pending-requests"
              />
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
