/** @module Who is signed in (GET /api/v1/auth/me), and what their roles allow. */
import { useQuery } from "@tanstack/react-query";
import { type Action, type Principal, rolesAllow } from "@tradai/core";
import { ApiError, api } from "@/lib/api";

export const sessionKey = ["session", "me"] as const;

/** The principal, or null when nobody is signed in. */
export function useSession() {
  return useQuery({
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
}

/**
 * Whether the signed-in user may do `action` (the same permission table the server enforces), so
 * that controls a role may not use are not offered at all.
 */
export function useCan(action: Action): boolean {
  const { data } = useSession();
  return data ? rolesAllow(data.roles, action) : false;
}
