/** @module Two runs' metrics side by side, with B - A for the numbers both reported. */
import type { MetricComparison, Run } from "@tradai/core";
import { formatValue } from "@/components/diff-table";
import { Empty } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";

/** A delta with its sign: +3, −500, 0; — when either side has no number. */
export function formatDelta(delta: number | null | undefined): string {
  if (delta === null || delta === undefined) return "—";
  return delta > 0 ? `+${delta}` : delta < 0 ? `−${-delta}` : "0";
}

/** `deltas`: the comparison's metrics (undefined while it loads); every metric of either run is shown. */
export function MetricsComparisonCard({
  a,
  b,
  deltas,
}: {
  a: Run;
  b: Run;
  deltas: readonly MetricComparison[] | undefined;
}) {
  const names = [...new Set([...Object.keys(a.metrics ?? {}), ...Object.keys(b.metrics ?? {})])].sort();
  const deltaOf = new Map(deltas?.map((m) => [m.name, m.delta]));
  return (
    <Card aria-labelledby="metrics-diff-title">
      <CardHeader>
        <CardTitle id="metrics-diff-title">Metrics</CardTitle>
      </CardHeader>
      <CardContent>
        {names.length === 0 ? (
          <Empty>Neither run has metrics.</Empty>
        ) : (
          <Table aria-label="Metrics side by side">
            <THead>
              <tr>
                <Th>Metric</Th>
                <Th>Run A</Th>
                <Th>Run B</Th>
                <Th>Delta (B − A)</Th>
              </tr>
            </THead>
            <TBody>
              {names.map((name) => {
                const [va, vb] = [a.metrics?.[name], b.metrics?.[name]];
                const differs = formatValue(va) !== formatValue(vb);
                return (
                  <Tr key={name} data-metric={name} className={differs ? "bg-amber-50" : undefined}>
                    <Td className="font-mono text-xs">{name}</Td>
                    <Td className="break-all font-mono text-xs">{formatValue(va)}</Td>
                    <Td className="break-all font-mono text-xs">{formatValue(vb)}</Td>
                    <Td className="font-mono text-xs tabular-nums">{formatDelta(deltaOf.get(name))}</Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
