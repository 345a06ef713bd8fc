/** @module The latest runs. */
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo } from "@/lib/format";
import { RunStatusBadge } from "../runs/run-status-badge";
import { useRuns } from "../runs/runs-query";

/** How many of the newest runs the card lists. */
export const RECENT_RUNS = 6;

export function RecentRunsCard({ className }: { className?: string }) {
  const runs = useRuns({ limit: RECENT_RUNS });
  return (
    <Card className={className} aria-labelledby="runs-title">
      <CardHeader>
        <CardTitle id="runs-title">Recent runs</CardTitle>
        <Link className="text-sm text-primary underline-offset-2 hover:underline" to="/runs">
          All runs
        </Link>
      </CardHeader>
      <CardContent>
        <QueryState query={runs} loadingLabel="Loading runs">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No runs yet.</Empty>
            ) : (
              <ul className="divide-y" aria-label="Recent runs">
                {data.items.map((r) => (
                  <li key={r.job_id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                    <Link
                      className="min-w-0 truncate text-primary underline-offset-2 hover:underline"
                      to={`/runs/${r.job_id}`}
                    >
                      {r.strategy} <span className="font-mono text-xs">{r.job_id.slice(0, 8)}</span>
                    </Link>
                    <span className="flex items-center gap-2">
                      <RunStatusBadge status={r.status} />
                      <span className="text-xs text-muted-foreground">{formatAgo(r.created_at)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
