/** @module A finished run's equity curve (GET /api/v1/backtests/{job_id}/equity). */
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export interface EquityPoint {
  time: string;
  equity: number;
}

/** Only points with a time and a finite equity are charted; the count of the rest is kept. */
export function useRunEquity(jobId: string, hasResult: boolean) {
  return useQuery({
    queryKey: runKeys.equity(jobId),
    enabled: hasResult,
    queryFn: async () => {
      const body = await api<{ equity_curve: unknown[] }>(`/api/v1/backtests/${encodeURIComponent(jobId)}/equity`);
      const points: EquityPoint[] = [];
      for (const p of body.equity_curve) {
        const { time, equity } = (p ?? {}) as { time?: unknown; equity?: unknown };
        if (typeof time === "string" && typeof equity === "number" && Number.isFinite(equity))
          points.push({ time, equity });
      }
      return { points, skipped: body.equity_curve.length - points.length };
    },
  });
}
