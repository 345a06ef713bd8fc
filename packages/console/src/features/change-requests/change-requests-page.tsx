/** @module The change-request queue (/change-requests), filtered by status. */
import { changeRequestStatus } from "@tradai/core";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { ChangeRequestStatusBadge } from "./change-request-status-badge";
import { useChangeRequests } from "./change-requests-query";

export function ChangeRequestsPage() {
  const [search, setSearch] = useSearchParams();
  const status = search.get("status") ?? "pending";
  const requests = useChangeRequests(status === "all" ? {} : { status });
  return (
    <>
      <PageHeader
        title="Change requests"
        description="Activations and promotions waiting for, or done with, a second person's approval."
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
                <Table aria-label="Change requests" data-testid="change-requests">
                  <THead>
                    <tr>
                      <Th>#</Th>
                      <Th>Status</Th>
                      <Th>Strategy</Th>
                      <Th>Environment</Th>
                      <Th>Version</Th>
                      <Th>Approvals</Th>
                      <Th>Author</Th>
                      <Th>Created</Th>
                    </tr>
                  </THead>
                  <TBody>
                    {data.items.map((cr) => (
                      <Tr key={cr.id} data-change-request={cr.id}>
                        <Td>
                          <Link className="font-medium text-primary underline" to={`/change-requests/${cr.id}`}>
                            #{cr.id}
                          </Link>
                        </Td>
                        <Td>
                          <ChangeRequestStatusBadge status={cr.status} />
                        </Td>
                        <Td className="break-all">{cr.strategy_name}</Td>
                        <Td>
                          {cr.kind === "promotion" ? `${cr.from_environment} → ${cr.environment}` : cr.environment}
                        </Td>
                        <Td className="font-mono text-xs">{cr.config_id}</Td>
                        <Td>
                          {cr.approvals}/{cr.approvals_required}
                        </Td>
                        <Td>{cr.author}</Td>
                        <Td className="text-xs" title={formatTime(cr.created_at)}>
                          {formatAgo(cr.created_at)}
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
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
