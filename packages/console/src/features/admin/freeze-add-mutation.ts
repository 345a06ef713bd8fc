/** @module Adding a freeze window (POST /api/v1/environments/{name}/freezes); the frozen badges follow. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CreateFreezeBody, FreezeWindow } from "@tradai/core";
import { api } from "@/lib/api";
import { environmentsKey } from "../environments/environments-query";

export function useAddFreeze(environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateFreezeBody) =>
      api<FreezeWindow>(`/api/v1/environments/${encodeURIComponent(environment)}/freezes`, { method: "POST", body }),
    // The header's switcher and the dashboard's frozen badges read the same query.
    onSuccess: () => client.invalidateQueries({ queryKey: environmentsKey }),
  });
}
