/** @module Who is signed in (GET /api/v1/auth/me); what they may do is `useCan` (./can). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Principal } from "@tradai/core";
import { ApiError, api } from "@/lib/api";

export const sessionKey = ["session", "me"] as const;

/** The principal, or null when nobody is signed in. */
export const sessionQuery = queryOptions({
  queryKey: sessionKey,
  queryFn: async (): Promise<Principal | null> => {
    try {
      return await api<Principal>("/api/v1/auth/me");
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
  retry: false,
});

export function useSession() {
  return useQuery(sessionQuery);
}
