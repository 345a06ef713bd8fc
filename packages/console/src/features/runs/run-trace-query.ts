/** @module A run's five propagation points (GET /api/v1/backtests/{job_id}/trace). */
import { useQuery } from "@tanstack/react-query";
import type { RunStatus, RunTrace } from "@tradai/core";
import { api } from "@/lib/api";

/** Keyed by status too: the points fill in as the run starts and ends. */
export const runTraceKey = (jobId: string, status?: RunStatus) => ["runs", "trace", jobId, status] as const;

export function useRunTrace(jobId: string, status: RunStatus | undefined) {
  return useQuery({
    queryKey: runTraceKey(jobId, status),
    queryFn: () => api<RunTrace>(`/api/v1/backtests/${encodeURIComponent(jobId)}/trace`),
    enabled: status !== undefined,
  });
}
