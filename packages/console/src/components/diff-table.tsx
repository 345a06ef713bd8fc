/** @module A values diff (added / removed / changed, by dotted path) as a table; used for versions, runs, audit. */
import type { ValuesDiff } from "@tradai/core";
import { Empty } from "./states";
import { Badge } from "./ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "./ui/table";

export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function DiffTable({ diff, label = "Differences" }: { diff: ValuesDiff; label?: string }) {
  const rows = [
    ...Object.entries(diff.changed).map(([path, c]) => ({ path, kind: "changed" as const, old: c.old, new: c.new })),
    ...Object.entries(diff.added).map(([path, v]) => ({ path, kind: "added" as const, old: undefined, new: v })),
    ...Object.entries(diff.removed).map(([path, v]) => ({ path, kind: "removed" as const, old: v, new: undefined })),
  ].sort((a, b) => a.path.localeCompare(b.path));
  if (rows.length === 0) return <Empty>No differences.</Empty>;
  const tone = { changed: "warning", added: "success", removed: "danger" } as const;
  return (
    <Table aria-label={label}>
      <THead>
        <tr>
          <Th>Parameter</Th>
          <Th>Change</Th>
          <Th>Before</Th>
          <Th>After</Th>
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <Tr key={row.path} data-diff-path={row.path}>
            <Td className="font-mono text-xs">{row.path}</Td>
            <Td>
              <Badge tone={tone[row.kind]}>{row.kind}</Badge>
            </Td>
            <Td className="break-all font-mono text-xs">{formatValue(row.old)}</Td>
            <Td className="break-all font-mono text-xs">{formatValue(row.new)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
