/** @module Change requests waiting for review. */
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo } from "@/lib/format";
import { useChangeRequests } from "../change-requests/change-requests-query";

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
              <Table aria-label="Pending change requests">
                <THead>
                  <tr>
                    <Th>#</Th>
                    <Th>Strategy</Th>
                    <Th>Environment</Th>
                    <Th>Version</Th>
                    <Th>Approvals</Th>
                    <Th>Author</Th>
                  </tr>
                </THead>
                <TBody>
                  {data.items.slice(0, 8).map((cr) => (
                    <Tr key={cr.id}>
                      <Td>
                        <Link className="text-primary underline" to={`/change-requests/${cr.id}`}>
                          {cr.id}
                        </Link>
                      </Td>
                      <Td>{cr.strategy_name}</Td>
                      <Td>{cr.environment}</Td>
                      <Td className="font-mono text-xs">{cr.config_id}</Td>
                      <Td>
                        {cr.approvals}/{cr.approvals_required}
                      </Td>
                      <Td>
                        {cr.author} <span className="text-xs text-muted-foreground">{formatAgo(cr.created_at)}</span>
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
