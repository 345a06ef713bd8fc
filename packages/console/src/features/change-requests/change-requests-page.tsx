/** @module The change-request queue (/change-requests) of every kind, filtered by status. */
import { changeRequestStatus } from "@tradai/core";
import { useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useChangeRequests } from "./change-requests-query";
import { ChangeRequestsTable } from "./change-requests-table";

export function ChangeRequestsPage() {
  const [search, setSearch] = useSearchParams();
  const status = search.get("status") ?? "pending";
  const requests = useChangeRequests(status === "all" ? {} : { status });
  return (
    <>
      <PageHeader
        title="Change requests"
        description="Governed changes (activations, promotions, base values, environment policies, catalog changes) waiting for, or done with, approval by people other than their author."
      />
      <Card>
        <CardHeader>
          <div className="flex items-center gap-2">
            <Label htmlFor="change-request-status">Status</Label>
            <Select
              id="change-request-status"
              className="w-auto"
              value={status}
              onChange={(e) => setSearch({ status: e.target.value })}
            >
              <option value="all">all</option>
              {changeRequestStatus.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </div>
        </CardHeader>
        <CardContent>
          <QueryState query={requests} loadingLabel="Loading change requests">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>No {status === "all" ? "" : `${status} `}change request.</Empty>
              ) : (
                <ChangeRequestsTable items={data.items} label="Change requests" data-testid="change-requests" />
              )
            }
          </QueryState>
          {requests.data && requests.data.total > requests.data.items.length && (
            <p className="mt-2 text-xs text-muted-foreground">
              Showing the newest {requests.data.items.length} of {requests.data.total}.
            </p>
          )}
        </CardContent>
      </Card>
    </>
  );
}
