/** @module Scheduled changes still to run (GET /api/v1/schedules?state=pending), and cancelling one. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ScheduledChangeView } from "@tradai/core";
import { api } from "@/lib/api";

/** An environment's (or every one's) pending scheduled changes; refreshed every 10 s (they run and leave the list). */
export function usePendingSchedules(environment?: string) {
  return useQuery({
    queryKey: ["schedules", environment ?? "all", "pending"],
    queryFn: () =>
      api<{ items: ScheduledChangeView[] }>("/api/v1/schedules", { query: { environment, state: "pending" } }),
    refetchInterval: 10_000,
  });
}

export function useCancelSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api<ScheduledChangeView>(`/api/v1/schedules/${encodeURIComponent(id)}/cancel`, {
        method: "POST",
        body: { reason },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["schedules"] }),
  });
}
