/** @module One sweep (GET /api/v1/sweeps/{sweep_id}): its runs and grid points; polls until every run ended. */
import { useQuery } from "@tanstack/react-query";
import type { SweepView } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export function useSweep(sweepId: string) {
  return useQuery({
    queryKey: runKeys.sweep(sweepId),
    queryFn: () => api<SweepView>(`/api/v1/sweeps/${encodeURIComponent(sweepId)}`),
    refetchInterval: (query) => {
      const sweep = query.state.data;
      return sweep && sweep.done < sweep.total ? 2_000 : false;
    },
  });
}
