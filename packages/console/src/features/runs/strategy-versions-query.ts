/** @module A strategy's config versions in an environment (GET /api/v1/configs/{strategy}), for the run form. */
import { useQuery } from "@tanstack/react-query";
import { type ConfigVersionList, strategyName } from "@tradai/core";
import { api } from "@/lib/api";

export function useStrategyVersions(strategy: string, environment: string) {
  return useQuery({
    queryKey: ["versions", strategy, environment, "for-runs"],
    queryFn: () =>
      api<ConfigVersionList>(`/api/v1/configs/${encodeURIComponent(strategy)}`, {
        query: { environment, limit: 100 },
      }),
    enabled: strategyName.safeParse(strategy).success,
    retry: false,
  });
}
