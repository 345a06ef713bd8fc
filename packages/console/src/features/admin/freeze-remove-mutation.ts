/** @module Removing a freeze window (DELETE /api/v1/environments/{name}/freezes/{id}); kept in the audit trail. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FreezeWindow } from "@tradai/core";
import { api } from "@/lib/api";
import { environmentsKey } from "../environments/environments-query";

export function useRemoveFreeze(environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      api<FreezeWindow>(`/api/v1/environments/${encodeURIComponent(environment)}/freezes/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: environmentsKey }),
  });
}
