/** @module The diff of two parameter sets (GET /api/v1/parameter-sets/{a}/diff/{b}). */
import { useQuery } from "@tanstack/react-query";
import type { ParameterSetDiff } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export function useParameterSetDiff(a: string | undefined, b: string | undefined) {
  return useQuery({
    queryKey: runKeys.parameterSetDiff(a ?? "", b ?? ""),
    queryFn: () => api<ParameterSetDiff>(`/api/v1/parameter-sets/${a}/diff/${b}`),
    enabled: Boolean(a && b),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
