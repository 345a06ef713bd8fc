/** @module Revoking a service token (DELETE /api/v1/tokens/{id}): at once, for good. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ServiceToken } from "@tradai/core";
import { api } from "@/lib/api";
import { tokensKey } from "./tokens-query";

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<ServiceToken>(`/api/v1/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}
