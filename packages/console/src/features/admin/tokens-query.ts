/** @module Service-account tokens (GET /api/v1/tokens, admin): never their secrets. */
import { useQuery } from "@tanstack/react-query";
import type { ServiceToken } from "@tradai/core";
import { api } from "@/lib/api";

export const tokensKey = ["tokens"] as const;

export function useTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: () => api<{ items: ServiceToken[] }>("/api/v1/tokens"),
  });
}
