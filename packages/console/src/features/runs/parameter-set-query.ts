/** @module A parameter set with the provenance of each value (GET /api/v1/parameter-sets/{hash}); immutable. */
import { useQuery } from "@tanstack/react-query";
import type { ParameterSetResponse } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export function useParameterSet(hash: string | undefined) {
  return useQuery({
    queryKey: runKeys.parameterSet(hash ?? ""),
    queryFn: () => api<ParameterSetResponse>(`/api/v1/parameter-sets/${hash}`),
    enabled: Boolean(hash),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
