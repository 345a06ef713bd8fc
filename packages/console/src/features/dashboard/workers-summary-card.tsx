/** @module Workers by environment and status (ok / lagging / refused / stale). */
import type { WorkerView } from "@tradai/core";
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useWorkers } from "../workers/workers-query";

const STATUSES: WorkerView["status"][] = ["ok", "lagging", "refused", "stale"];

export function workerCounts(workers: WorkerView[]): Map<string, Record<WorkerView["status"], number>> {
  const counts = new Map<string, Record<WorkerView["status"], number>>();
  for (const w of workers) {
    const row = counts.get(w.environment) ?? { ok: 0, lagging: 0, refused: 0, stale: 0 };
    row[w.status] += 1;
    counts.set(w.environment, row);
  }
  return counts;
}

export function WorkersSummaryCard({ className }: { className?: string }) {
  const workers = useWorkers();
  return (
    <Card className={className} aria-labelledby="workers-title">
      <CardHeader>
        <CardTitle id="workers-title">Workers</CardTitle>
        <Link className="text-sm text-primary underline-offset-2 hover:underline" to="/workers">
          All workers
        </Link>
      </CardHeader>
      <CardContent>
        <QueryState query={workers} loadingLabel="Loading workers">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No worker has reported yet.</Empty>
            ) : (
              <Table aria-label="Workers by status" data-testid="workers-summary">
                <THead>
                  <tr>
                    <Th>Environment</Th>
                    {STATUSES.map((s) => (
                      <Th key={s}>{s}</Th>
                    ))}
                  </tr>
                </THead>
                <TBody>
                  {[...workerCounts(data.items)].map(([env, row]) => (
                    <Tr key={env} data-environment={env}>
                      <Td>{env}</Td>
                      {STATUSES.map((s) => (
                        <Td
                          key={s}
                          data-status={s}
                          className={s !== "ok" && row[s] > 0 ? "font-semibold text-destructive" : ""}
                        >
                          {row[s]}
                        </Td>
                      ))}
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
