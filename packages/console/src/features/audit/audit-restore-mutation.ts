/**
 * @module Restoring a config from an audit entry (POST /api/v1/audit/{seq}/restore): 200 when it is
 * active, 202 when it became a change request. 412 / 409 / 423 come back as ApiError.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActivateConfigResponse } from "@tradai/core";
import { type Governed, governed } from "@/lib/governed";
import { invalidateGoverned } from "../governance/invalidate-governed";

/** What became of it, with the environment it was about. */
export type RestoreOutcome = Governed<ActivateConfigResponse> & { environment: string };

export interface RestoreInput {
  seq: number;
  environment: string;
  /** What the user saw active there (null: none), so a change made meanwhile is refused (412), not overwritten. */
  expectedActive: string | null;
  /** Admin only: restore in a frozen environment, for this reason. */
  freezeOverrideReason?: string | undefined;
}

export function useRestoreFromAudit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      seq,
      environment,
      expectedActive,
      freezeOverrideReason,
    }: RestoreInput): Promise<RestoreOutcome> => ({
      ...(await governed<ActivateConfigResponse>(`/api/v1/audit/${seq}/restore`, {
        body: {
          environment,
          expected_active: expectedActive,
          ...(freezeOverrideReason ? { freeze_override_reason: freezeOverrideReason } : {}),
        },
      })),
      environment,
    }),
    onSettled: () => invalidateGoverned(client),
  });
}
