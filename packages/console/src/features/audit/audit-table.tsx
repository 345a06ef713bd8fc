/** @module A page of audit entries as a table: seq (to the entry), time, actor, action, target, environment. */
import type { AuditEntry } from "@tradai/core";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { AuditTarget } from "./audit-target";

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table aria-label="Audit entries" data-testid="audit-entries">
      <THead>
        <tr>
          <Th>Seq</Th>
          <Th>Time</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>Environment</Th>
        </tr>
      </THead>
      <TBody>
        {entries.map((entry) => (
          <Tr key={entry.seq} data-seq={entry.seq} data-action={entry.action} data-actor={entry.actor}>
            <Td>
              <Link
                className="font-mono text-primary underline"
                to={`/audit/${entry.seq}`}
                aria-label={`Entry ${entry.seq}: ${entry.action} by ${entry.actor}`}
              >
                {entry.seq}
              </Link>
            </Td>
            <Td className="whitespace-nowrap">
              <time dateTime={entry.at}>{formatTime(entry.at)}</time>
              <span className="block text-xs text-muted-foreground">{formatAgo(entry.at)}</span>
            </Td>
            <Td className="break-all">{entry.actor}</Td>
            <Td>
              <Badge tone={entry.action.startsWith("config.") ? "info" : "neutral"} className="font-mono">
                {entry.action}
              </Badge>
            </Td>
            <Td>
              <AuditTarget entry={entry} />
            </Td>
            <Td>{entry.environment ?? "—"}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
