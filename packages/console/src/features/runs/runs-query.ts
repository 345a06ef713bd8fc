/** @module Runs (GET /api/v1/backtests), newest first. */
import { useQuery } from "@tanstack/react-query";
import type { RunList } from "@tradai/core";
import { api } from "@/lib/api";
import { runKeys } from "./run-keys";

export interface RunFilter {
  strategy?: string;
  status?: string;
  config_version_id?: string;
  parameter_set_hash?: string;
  experiment?: string;
  limit?: number;
  offset?: number;
}

/** While any listed run is queued or running, the list refreshes every 2 s. */
export function useRuns(filter: RunFilter = {}) {
  return useQuery({
    queryKey: runKeys.list(filter),
    queryFn: () => api<RunList>("/api/v1/backtests", { query: { ...filter } }),
    refetchInterval: (query) =>
      query.state.data?.items.some((r) => r.status === "queued" || r.status === "running") ? 2_000 : 15_000,
  });
}
