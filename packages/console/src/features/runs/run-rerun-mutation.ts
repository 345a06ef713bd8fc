/** @module Re-run identically (POST /api/v1/backtests/{job_id}/rerun): a new run on the same parameter set. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { SubmitBacktestResponse } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export function useRerun(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<SubmitBacktestResponse>(`/api/v1/backtests/${encodeURIComponent(jobId)}/rerun`, { method: "POST" }),
    onSuccess: () => void client.invalidateQueries({ queryKey: runKeys.lists() }),
  });
}
