/** @module The resolved config of a strategy in an environment, with each value's provenance. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ResolvedConfig } from "@tradai/core";
import { ApiError, api } from "@/lib/api";

export const resolvedKey = (strategy: string, environment: string) => ["resolve", strategy, environment] as const;

/** null when the strategy has no active version in the environment (the server answers 409). */
export const resolvedQuery = (strategy: string, environment: string) =>
  queryOptions({
    queryKey: resolvedKey(strategy, environment),
    queryFn: async (): Promise<ResolvedConfig | null> => {
      try {
        return await api<ResolvedConfig>(`/api/v1/resolve/${encodeURIComponent(strategy)}`, {
          query: { environment, explain: true },
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) return null;
        throw error;
      }
    },
  });

export function useResolved(strategy: string, environment: string) {
  return useQuery(resolvedQuery(strategy, environment));
}
