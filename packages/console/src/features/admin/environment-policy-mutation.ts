/**
 * @module Changing an environment's policy (PUT /api/v1/environments/{name}) with the updated_at it
 * was read at, so that a change someone made in between is refused (412) rather than overwritten.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { EnvironmentPolicy, EnvironmentView } from "@tradai/core";
import { api } from "@/lib/api";
import { environmentsKey } from "../environments/environments-query";

export function useUpdatePolicy(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ policy, expectedUpdatedAt }: { policy: EnvironmentPolicy; expectedUpdatedAt: string | null }) =>
      api<EnvironmentView>(`/api/v1/environments/${encodeURIComponent(name)}`, {
        method: "PUT",
        body: { ...policy, expected_updated_at: expectedUpdatedAt },
      }),
    // The header's switcher and the dashboard read the same query.
    onSettled: () => client.invalidateQueries({ queryKey: environmentsKey }),
  });
}
