/** @module A parameter set with the provenance of each value (GET /api/v1/parameter-sets/{hash}); immutable. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ParameterSetResponse } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export const parameterSetQuery = (hash: string | undefined) =>
  queryOptions({
    queryKey: runKeys.parameterSet(hash ?? ""),
    queryFn: () => api<ParameterSetResponse>(`/api/v1/parameter-sets/${hash}`),
    enabled: Boolean(hash),
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useParameterSet(hash: string | undefined) {
  return useQuery(parameterSetQuery(hash));
}
