/** @module Staged rollouts (GET /api/v1/rollouts, /rollouts/{id}) and what an editor does to one (pause, resume, abort). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RolloutStatus, RolloutView } from "@tradai/core";
import { api } from "@/lib/api";

/** Rollouts, newest first; refreshed every 5 s (the driver moves them on). */
export function useRollouts(environment?: string) {
  return useQuery({
    queryKey: ["rollouts", environment ?? "all"],
    queryFn: () => api<{ rollouts: RolloutView[] }>("/api/v1/rollouts", { query: { environment } }),
    refetchInterval: 5_000,
  });
}

/** One rollout with its workers and guard readings: live figures, refreshed every 3 s. */
export function useRollout(id: string) {
  return useQuery({
    queryKey: ["rollouts", "one", id],
    queryFn: () => api<RolloutStatus>(`/api/v1/rollouts/${encodeURIComponent(id)}`),
    refetchInterval: 3_000,
  });
}

export function useRolloutAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ verb, reason }: { verb: "pause" | "resume" | "abort"; reason?: string }) =>
      api<RolloutView>(`/api/v1/rollouts/${encodeURIComponent(id)}/${verb}`, {
        method: "POST",
        ...(verb === "abort" ? { body: { reason } } : {}),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["rollouts"] }),
  });
}
