/** @module Workers with applied vs active version, lag and status, and the legacy mirrors (GET /api/v1/workers). */
import { useQuery } from "@tanstack/react-query";
import type { LegacyMirrorView, WorkerView } from "@tradai/core";
import { api } from "@/lib/api";

/** The workers, and the other consumers of the config: legacy mirrors writing it back to the legacy row. */
export interface WorkersList {
  items: WorkerView[];
  legacy_mirrors: LegacyMirrorView[];
}

export const workersKey = (environment?: string) => ["workers", environment ?? "all"] as const;

/** Every environment's workers unless one is named. Heartbeats arrive all the time: refreshed every 5 s. */
export function useWorkers(environment?: string) {
  return useQuery({
    queryKey: workersKey(environment),
    queryFn: () => api<WorkersList>("/api/v1/workers", { query: { environment } }),
    refetchInterval: 5_000,
  });
}
