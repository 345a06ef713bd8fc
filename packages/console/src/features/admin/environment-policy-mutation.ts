/**
 * @module Changing an environment's policy (PUT /api/v1/environments/{name}) with the updated_at it
 * was read at, so that a change someone made in between is refused (412) rather than overwritten.
 * A change that weakens governance (approval off, fewer approvals, break-glass allowed) becomes a
 * change request (202) that another person approves.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { EnvironmentPolicy, EnvironmentView } from "@tradai/core";
import { governed } from "@/lib/governed";
import { invalidateGoverned } from "../governance/invalidate-governed";

export function useUpdatePolicy(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ policy, expectedUpdatedAt }: { policy: EnvironmentPolicy; expectedUpdatedAt: string | null }) =>
      governed<EnvironmentView>(`/api/v1/environments/${encodeURIComponent(name)}`, {
        method: "PUT",
        body: { ...policy, expected_updated_at: expectedUpdatedAt },
      }),
    // The header's switcher, the dashboard and the change requests read what it changes.
    onSettled: () => invalidateGoverned(client),
  });
}
