/**
 * @module A run's log (GET /api/v1/backtests/{job_id}/logs?after=): fetched page by page, then
 * followed while the run is active by asking only for the lines after the last one seen.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { RunLogs } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

type LogLine = RunLogs["lines"][number];

export function useRunLogs(jobId: string, follow: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: runKeys.logs(jobId),
    queryFn: async () => {
      const known = client.getQueryData<LogLine[]>(runKeys.logs(jobId)) ?? [];
      const lines = [...known];
      let after = lines.at(-1)?.line_no ?? 0;
      for (;;) {
        const page = await api<RunLogs>(`/api/v1/backtests/${encodeURIComponent(jobId)}/logs`, { query: { after } });
        lines.push(...page.lines);
        if (page.next_after === null) break;
        after = page.next_after;
      }
      return lines;
    },
    refetchInterval: follow ? 1_000 : false,
  });
}
