/** @module A parameter set with the provenance of each value (GET /api/v1/parameter-sets/{hash}); immutable. */
import { useQuery } from "@tanstack/react-query";
import type { ParameterSetResponse } from "@tradai/core";
import { api } from "@/lib/api";

export const parameterSetKey = (hash: string) => ["runs", "parameter-set", hash] as const;

export function useParameterSet(hash: string | undefined) {
  return useQuery({
    queryKey: parameterSetKey(hash ?? ""),
    queryFn: () => api<ParameterSetResponse>(`/api/v1/parameter-sets/${hash}`),
    enabled: Boolean(hash),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
