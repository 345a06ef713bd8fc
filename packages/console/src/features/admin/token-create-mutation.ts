/**
 * @module Creating a service token (POST /api/v1/tokens). The answer holds the secret: it is handed
 * to the caller only, never put in the query cache.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { createTokenBody, createTokenResponse } from "@tradai/core";
import type { z } from "zod";
import { api } from "@/lib/api";
import { tokensKey } from "./tokens-query";

export type NewToken = z.infer<typeof createTokenBody>;
export type CreatedToken = z.infer<typeof createTokenResponse>;

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewToken) => api<CreatedToken>("/api/v1/tokens", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
    // Nor is it kept in the mutation cache once the dialog lets go of it.
    gcTime: 0,
  });
}
