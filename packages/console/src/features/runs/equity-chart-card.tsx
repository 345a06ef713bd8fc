/**
 * @module A finished run's equity curve as a line chart (./equity-chart, loaded once in view), with
 * its first and last values in words. A legacy run's result stays in the legacy system (the server
 * does not read it): that is said plainly, not fetched.
 */
import type { Run } from "@tradai/core";
import { lazy, Suspense } from "react";
import { useNearViewport } from "@/components/near-viewport";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatNumber, formatTime } from "@/lib/format";
import { isLegacyRun } from "./legacy-run-mark";
import { useRunEquity } from "./run-equity-query";

const EquityChart = lazy(async () => ({ default: (await import("./equity-chart")).EquityChart }));

export function EquityChartCard({ run }: { run: Run }) {
  const { job_id: jobId, status, result_location: location } = run;
  const hasResult = location !== null;
  const legacy = isLegacyRun(run);
  const query = useRunEquity(jobId, hasResult && !legacy);
  const [box, near] = useNearViewport<HTMLDivElement>();
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
                  <div
                    ref={box}
                    className="h-64 w-full"
                    role="img"
                    aria-label={`Equity curve, ${points.length} points`}
                  >
                    {/* The box keeps its height until the chart is drawn: nothing below it moves. The
                        chart library loads once the box is about to be seen, not with the page. */}
                    {near ? (
                      <Suspense fallback={<Skeleton className="h-full w-full" />}>
                        <EquityChart points={points} />
                      </Suspense>
                    ) : (
                      // Not loading yet, so not a pulsing skeleton: a quiet box where the chart goes.
                      <div className="h-full w-full rounded-md bg-slate-50" />
                    )}
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
