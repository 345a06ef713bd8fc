/** @module Workers with applied vs active version, lag and status (GET /api/v1/workers). */
import { useQuery } from "@tanstack/react-query";
import type { WorkerView } from "@tradai/core";
import { api } from "@/lib/api";

export const workersKey = (environment?: string) => ["workers", environment ?? "all"] as const;

/** Every environment's workers unless one is named. Heartbeats arrive all the time: refreshed every 5 s. */
export function useWorkers(environment?: string) {
  return useQuery({
    queryKey: workersKey(environment),
    queryFn: () => api<{ items: WorkerView[] }>("/api/v1/workers", { query: { environment } }),
    refetchInterval: 5_000,
  });
}
