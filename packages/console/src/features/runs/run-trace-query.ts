/** @module A run's five propagation points (GET /api/v1/backtests/{job_id}/trace). */
import { useQuery } from "@tanstack/react-query";
import type { RunStatus, RunTrace } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

/** Keyed by status too: the points fill in as the run starts and ends. */
export function useRunTrace(jobId: string, status: RunStatus | undefined) {
  return useQuery({
    queryKey: runKeys.trace(jobId, status),
    queryFn: () => api<RunTrace>(`/api/v1/backtests/${encodeURIComponent(jobId)}/trace`),
    enabled: status !== undefined,
  });
}
