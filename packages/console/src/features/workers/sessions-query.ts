/** @module A worker's sessions and one session's applied history (GET /api/v1/sessions, /sessions/{id}). */
import { useQuery } from "@tanstack/react-query";
import type { SessionDetail, SessionList } from "@tradai/core";
import { api } from "@/lib/api";

/** The worker's sessions, newest first; with `at`, those open then, each with what was in use. */
export function useWorkerSessions(worker: string, at?: string) {
  return useQuery({
    queryKey: ["sessions", worker, at ?? "all"],
    queryFn: () => api<SessionList>("/api/v1/sessions", { query: { worker, at, limit: 100 } }),
    refetchInterval: at ? false : 5_000,
  });
}

export function useSession(id: string | undefined) {
  return useQuery({
    queryKey: ["session", id],
    queryFn: () => api<SessionDetail>(`/api/v1/sessions/${id}`),
    enabled: id !== undefined,
    refetchInterval: 5_000,
  });
}
