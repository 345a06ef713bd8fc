/** @module Cancel a run (POST /api/v1/backtests/{job_id}/cancel). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Run } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export function useCancelRun(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Run>(`/api/v1/backtests/${encodeURIComponent(jobId)}/cancel`, { method: "POST" }),
    onSuccess: (run) => {
      client.setQueryData(runKeys.one(jobId), run);
      void client.invalidateQueries({ queryKey: runKeys.all });
    },
  });
}
