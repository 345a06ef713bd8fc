/** @module What comparing two runs allows (GET /api/v1/runs/compare?a=&b=); polls while either run is still going. */
import { useQuery } from "@tanstack/react-query";
import type { RunComparison } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";
import { isRunActive } from "./run-query";

export function useRunComparison(a: string, b: string) {
  return useQuery({
    queryKey: runKeys.comparison(a, b),
    queryFn: () => api<RunComparison>(`/api/v1/runs/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`),
    // The verdict never changes; the metrics arrive when the runs finish.
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && (isRunActive(data.a) || isRunActive(data.b)) ? 1_000 : false;
    },
  });
}
