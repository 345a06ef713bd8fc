/**
 * @module Change requests of every kind as a table: number, kind, what it does (its summary), the
 * environments, approvals counted in people, and the author (with the person behind a token).
 * The queue page and the dashboard's pending card both show it.
 */
import type { ChangeRequest } from "@tradai/core";
import { Link } from "react-router";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { authorOf } from "../governance/people";
import { ChangeRequestKindBadge } from "./change-request-kind";
import { ChangeRequestStatusBadge } from "./change-request-status-badge";
import { environmentsText } from "./change-request-text";

export function ChangeRequestsTable({
  items,
  label,
  withStatus = true,
  ...props
}: {
  items: ChangeRequest[];
  label: string;
  /** The status column (the pending card leaves it out: all are pending). */
  withStatus?: boolean;
  "data-testid"?: string;
}) {
  return (
    <Table aria-label={label} {...props}>
      <THead>
        <tr>
          <Th>#</Th>
          {withStatus && <Th>Status</Th>}
          <Th>Kind</Th>
          <Th>Change</Th>
          <Th>Environment</Th>
          <Th>Approvals</Th>
          <Th>Author</Th>
          <Th>Created</Th>
        </tr>
      </THead>
      <TBody>
        {items.map((cr) => (
          <Tr key={cr.id} data-change-request={cr.id}>
            <Td>
              <Link className="font-medium text-primary underline" to={`/change-requests/${cr.id}`}>
                #{cr.id}
              </Link>
            </Td>
            {withStatus && (
              <Td>
                <ChangeRequestStatusBadge status={cr.status} />
              </Td>
            )}
            <Td>
              <ChangeRequestKindBadge kind={cr.kind} />
            </Td>
            <Td className="min-w-56 break-words" data-column="summary">
              {cr.summary}
            </Td>
            <Td data-column="environment">{environmentsText(cr)}</Td>
            <Td className="whitespace-nowrap" data-column="approvals">
              {cr.approvals}/{cr.approvals_required} <span className="block text-xs text-muted-foreground">people</span>
            </Td>
            <Td className="break-words">{authorOf(cr)}</Td>
            <Td className="whitespace-nowrap text-xs" title={formatTime(cr.created_at)}>
              {formatAgo(cr.created_at)}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
