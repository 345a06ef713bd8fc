/**
 * @module The legacy mirrors as a table, one row per environment and strategy: status, the legacy
 * table and column written, the version last written there, how far behind, failed writes in a
 * row, the last error and (while failing) when the next write is tried.
 */
import type { LegacyMirrorView } from "@tradai/core";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { LegacyMirrorStatusBadge } from "./legacy-mirror-status-badge";
import { formatLag } from "./workers-table";

/** The version the row was last written for, and the change (seq) that made it; "never" before the first write. */
function MirroredVersion({ mirror }: { mirror: LegacyMirrorView }) {
  if (mirror.mirrored_seq === 0) return <span data-cell="mirrored">never</span>;
  return (
    <>
      <span className="block whitespace-nowrap" data-cell="mirrored">
        <span className="font-mono text-xs">{mirror.mirrored_config_id ?? "no version"}</span>, change{" "}
        {mirror.mirrored_seq}
      </span>
      {mirror.mirrored_at && (
        <time dateTime={mirror.mirrored_at} className="block whitespace-nowrap text-xs text-muted-foreground">
          {formatAgo(mirror.mirrored_at)}
        </time>
      )}
    </>
  );
}

export function LegacyMirrorsTable({ mirrors }: { mirrors: LegacyMirrorView[] }) {
  return (
    <Table aria-label="Legacy mirrors" data-testid="legacy-mirrors-table" className="[&_td]:px-2 [&_th]:px-2">
      <THead>
        <tr>
          <Th>Environment</Th>
          <Th>Strategy</Th>
          <Th>Status</Th>
          <Th>Writes to</Th>
          <Th>Mirrored version</Th>
          <Th>Lag</Th>
          <Th>Attempts</Th>
          <Th>Last error</Th>
        </tr>
      </THead>
      <TBody>
        {mirrors.map((m) => (
          <Tr
            key={`${m.environment}/${m.strategy}`}
            data-environment={m.environment}
            data-strategy={m.strategy}
            data-status={m.status}
          >
            <Td data-cell="environment">{m.environment}</Td>
            <Td data-cell="strategy">{m.strategy}</Td>
            <Td data-cell="status">
              <LegacyMirrorStatusBadge status={m.status} />
            </Td>
            <Td className="break-all font-mono text-xs" data-cell="target">
              {m.target.table}.{m.target.column}
            </Td>
            <Td>
              <MirroredVersion mirror={m} />
            </Td>
            <Td data-cell="lag" className={cn("min-w-28", !m.up_to_date && "font-semibold text-amber-900")}>
              {formatLag(m)}
            </Td>
            <Td data-cell="attempts">{m.attempts}</Td>
            <Td className="min-w-40 break-words" data-cell="last-error">
              {m.last_error ?? "—"}
              {m.status === "failing" && m.next_attempt_at && (
                <span className="block whitespace-nowrap text-xs text-muted-foreground" data-cell="next-attempt">
                  next attempt <time dateTime={m.next_attempt_at}>{formatTime(m.next_attempt_at)}</time>
                </span>
              )}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
