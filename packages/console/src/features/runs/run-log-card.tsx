/**
 * @module A run's log: the worker's stdout/stderr and the launcher's notes, followed while the run
 * is active. A legacy run's log stayed in the legacy system: its empty log says so.
 */
import { useEffect, useRef } from "react";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useRunLogs } from "./run-logs-query";

export function RunLogCard({ jobId, follow, legacy }: { jobId: string; follow: boolean; legacy: boolean }) {
  const query = useRunLogs(jobId, follow);
  const box = useRef<HTMLDivElement>(null);
  const count = query.data?.length ?? 0;
  // The last lines arrive as the run ends: read once more when following stops.
  const wasFollowing = useRef(follow);
  const { refetch } = query;
  useEffect(() => {
    if (wasFollowing.current && !follow) void refetch();
    wasFollowing.current = follow;
  }, [follow, refetch]);
  useEffect(() => {
    if (follow && count > 0 && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [follow, count]);
  return (
    <Card aria-labelledby="log-title">
      <CardHeader>
        <CardTitle id="log-title">Log</CardTitle>
        {follow && <span className="text-xs text-muted-foreground">following</span>}
      </CardHeader>
      <CardContent>
        <QueryState query={query} loadingLabel="Loading the log">
          {(lines) =>
            lines.length === 0 ? (
              <Empty>{legacy ? "No log: a legacy run's output stayed in the legacy system." : "No output yet."}</Empty>
            ) : (
              <div
                ref={box}
                role="log"
                // A scrollable region must be reachable by keyboard.
                // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable log
                tabIndex={0}
                aria-label="Run log"
                data-testid="run-log"
                className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-950 p-3 font-mono text-xs text-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                {lines.map((l) => (
                  <div key={l.line_no} className={l.stream === "stderr" ? "text-amber-200" : undefined}>
                    <span className="select-none text-slate-400">{String(l.line_no).padStart(4, " ")} </span>
                    {l.line}
                  </div>
                ))}
              </div>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
