/** @module An environment's base values (the layer between catalog defaults and the active version). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { EnvironmentBase } from "@tradai/core";
import { api } from "@/lib/api";

export const environmentBaseQuery = (environment: string) =>
  queryOptions({
    // Under "resolve": a change of base values comes through the change feed like any resolved change.
    queryKey: ["resolve", "environment-base", environment],
    queryFn: () => api<EnvironmentBase>(`/api/v1/environments/${encodeURIComponent(environment)}/base`),
  });

export function useEnvironmentBase(environment: string) {
  return useQuery(environmentBaseQuery(environment));
}
