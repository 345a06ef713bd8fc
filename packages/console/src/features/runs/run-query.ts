/** @module One run (GET /api/v1/backtests/{job_id}); polls while it is queued or running. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Run } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export const isRunActive = (run: Pick<Run, "status"> | undefined) =>
  run?.status === "queued" || run?.status === "running";

export const runQuery = (jobId: string) =>
  queryOptions({
    queryKey: runKeys.one(jobId),
    queryFn: () => api<Run>(`/api/v1/backtests/${encodeURIComponent(jobId)}`),
    refetchInterval: (query) => (isRunActive(query.state.data) ? 1_000 : false),
  });

export function useRun(jobId: string) {
  return useQuery(runQuery(jobId));
}
