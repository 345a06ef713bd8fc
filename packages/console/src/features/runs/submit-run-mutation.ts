/** @module Submit a backtest (POST /api/v1/backtests?environment=). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { SubmitBacktestBody, SubmitBacktestResponse } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export function useSubmitRun(environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmitBacktestBody) =>
      api<SubmitBacktestResponse>("/api/v1/backtests", { body, query: { environment } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: runKeys.lists() }),
  });
}
