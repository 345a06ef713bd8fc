/** @module Cancel a run (POST /api/v1/backtests/{job_id}/cancel). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Run } from "@tradai/core";
import { api } from "@/lib/api";
import { runKey } from "./run-query";

export function useCancelRun(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Run>(`/api/v1/backtests/${encodeURIComponent(jobId)}/cancel`, { method: "POST" }),
    onSuccess: (run) => {
      client.setQueryData(runKey(jobId), run);
      void client.invalidateQueries({ queryKey: ["runs"] });
    },
  });
}
