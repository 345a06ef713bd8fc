/** @module A run's metrics exactly as the worker reported them. */
import type { Run } from "@tradai/core";
import { formatValue } from "@/components/diff-table";
import { Empty } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

export function RunMetricsCard({ run }: { run: Run }) {
  const metrics = Object.entries(run.metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Card aria-labelledby="metrics-title">
      <CardHeader>
        <CardTitle id="metrics-title">Metrics</CardTitle>
      </CardHeader>
      <CardContent>
        {metrics.length === 0 ? (
          <Empty>
            {run.status === "completed" ? "The run reported no metrics." : `No metrics yet (${run.status}).`}
          </Empty>
        ) : (
          <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1 text-sm" aria-label="Metrics">
            {metrics.map(([key, value]) => (
              <div key={key} className="contents" data-metric={key}>
                <dt className="break-all font-mono text-xs text-muted-foreground">{key}</dt>
                <dd className="break-all text-right font-mono text-xs tabular-nums">{formatValue(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
