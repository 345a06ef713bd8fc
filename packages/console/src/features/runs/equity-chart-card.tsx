/**
 * @module A finished run's equity curve as a line chart (recharts), with its first and last values
 * in words. A legacy run's result stays in the legacy system (the server does not read it): that is
 * said plainly, not fetched.
 */
import type { Run } from "@tradai/core";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatNumber, formatTime } from "@/lib/format";
import { isLegacyRun } from "./legacy-run-mark";
import { useRunEquity } from "./run-equity-query";

export function EquityChartCard({ run }: { run: Run }) {
  const { job_id: jobId, status, result_location: location } = run;
  const hasResult = location !== null;
  const legacy = isLegacyRun(run);
  const query = useRunEquity(jobId, hasResult && !legacy);
  return (
    <Card aria-labelledby="equity-title">
      <CardHeader>
        <CardTitle id="equity-title">Equity curve</CardTitle>
      </CardHeader>
      <CardContent>
        {!hasResult ? (
          <Empty>
            {status === "queued" || status === "running"
              ? `No result yet (${status}).`
              : `This run has no result (${status}).`}
          </Empty>
        ) : legacy ? (
          <Empty>
            The legacy result stays in the legacy system, at{" "}
            <span className="break-all font-mono text-xs">{location}</span>: there is no equity curve to show here.
          </Empty>
        ) : (
          <QueryState query={query} loadingLabel="Loading the equity curve">
            {({ points, skipped }) =>
              points.length === 0 ? (
                <Empty>The result has no equity curve.</Empty>
              ) : (
                <figure data-testid="equity-chart">
                  <div className="h-64 w-full" role="img" aria-label={`Equity curve, ${points.length} points`}>
                    <ResponsiveContainer width="100%" height="100%">
                      <LineChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                        <XAxis
                          dataKey="time"
                          tickFormatter={(t: string) => t.slice(0, 10)}
                          minTickGap={32}
                          fontSize={11}
                        />
                        <YAxis domain={["auto", "auto"]} fontSize={11} width={64} />
                        <Tooltip labelFormatter={(t) => formatTime(String(t))} />
                        <Line
                          type="monotone"
                          dataKey="equity"
                          stroke="#2563eb"
                          dot={points.length === 1}
                          isAnimationActive={false}
                        />
                      </LineChart>
                    </ResponsiveContainer>
                  </div>
                  <figcaption className="mt-2 text-xs text-muted-foreground" data-testid="equity-summary">
                    {`${points.length} point(s) from ${formatTime(points[0]?.time)} to ${formatTime(points.at(-1)?.time)}; equity ${formatNumber(points[0]?.equity, 6)} → ${formatNumber(points.at(-1)?.equity, 6)}`}
                    {skipped > 0 && ` (${skipped} point(s) without a time or a number were left out)`}
                  </figcaption>
                </figure>
              )
            }
          </QueryState>
        )}
      </CardContent>
    </Card>
  );
}
