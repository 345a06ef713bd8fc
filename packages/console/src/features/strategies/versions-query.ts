/** @module A strategy's versions (GET /api/v1/configs/{strategy}) and one version, as seen from an environment. */
import { queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import type { ConfigVersion, ConfigVersionList } from "@tradai/core";
import { ApiError, api } from "@/lib/api";

const path = (strategy: string, configId?: string) =>
  `/api/v1/configs/${encodeURIComponent(strategy)}${configId ? `/${encodeURIComponent(configId)}` : ""}`;

export const versionsKey = (strategy: string, environment: string) =>
  ["versions", strategy, "list", environment] as const;
export const versionKey = (strategy: string, configId: string, environment: string) =>
  ["versions", strategy, "one", configId, environment] as const;

const listVersions = (strategy: string, environment: string) =>
  api<ConfigVersionList>(path(strategy), { query: { environment, limit: 500 } });

export function useVersions(strategy: string, environment: string) {
  return useQuery({ queryKey: versionsKey(strategy, environment), queryFn: () => listVersions(strategy, environment) });
}

/** The version list once per environment, so each version's status can be shown everywhere. */
export function useVersionsEverywhere(strategy: string, environments: readonly string[]) {
  return useQueries({
    queries: environments.map((environment) => ({
      queryKey: versionsKey(strategy, environment),
      queryFn: () => listVersions(strategy, environment),
    })),
  });
}

export const activeVersionKey = (strategy: string, environment: string) =>
  ["versions", strategy, "active", environment] as const;

/**
 * The version active in the environment, or null when none is (or the strategy has no version yet):
 * one request, where the strategies list and then the version would take two in a row.
 */
export const activeVersionQuery = (strategy: string, environment: string) =>
  queryOptions({
    queryKey: activeVersionKey(strategy, environment),
    queryFn: async (): Promise<ConfigVersion | null> => {
      try {
        const list = await api<ConfigVersionList>(path(strategy), {
          query: { environment, status: "active", limit: 1 },
        });
        return list.items[0] ?? null;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });

export function useActiveVersion(strategy: string, environment: string) {
  return useQuery(activeVersionQuery(strategy, environment));
}

export function useVersion(strategy: string, configId: string, environment: string) {
  return useQuery({
    queryKey: versionKey(strategy, configId, environment),
    queryFn: () => api<ConfigVersion>(path(strategy, configId), { query: { environment } }),
  });
}

export function useVersionsByIds(strategy: string, configIds: readonly string[], environment: string) {
  return useQueries({
    queries: configIds.map((configId) => ({
      queryKey: versionKey(strategy, configId, environment),
      queryFn: () => api<ConfigVersion>(path(strategy, configId), { query: { environment } }),
    })),
  });
}
