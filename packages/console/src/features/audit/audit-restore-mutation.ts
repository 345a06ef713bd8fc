/**
 * @module Restoring a config from an audit entry (POST /api/v1/audit/{seq}/restore): 200 when it is
 * active, 202 when it became a change request. 412 / 409 / 423 come back as ApiError.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActivateConfigResponse, ChangeRequest } from "@tradai/core";
import { apiWithStatus } from "@/lib/api";

export type RestoreOutcome =
  | { kind: "applied"; environment: string; version: ActivateConfigResponse }
  | { kind: "change_request"; environment: string; changeRequest: ChangeRequest; created: boolean };

export interface RestoreInput {
  seq: number;
  environment: string;
  /** What the user saw active there (null: none), so a change made meanwhile is refused (412), not overwritten. */
  expectedActive: string | null;
  /** Admin only: restore in a frozen environment, for this reason. */
  freezeOverrideReason?: string | undefined;
}

/** What a restore changes: versions, activations, change requests, the dashboard and the trail itself. */
const CHANGED_ROOTS = ["audit", "configs", "versions", "change-requests", "resolve", "dashboard"];

export function useRestoreFromAudit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      seq,
      environment,
      expectedActive,
      freezeOverrideReason,
    }: RestoreInput): Promise<RestoreOutcome> => {
      const { status, body } = await apiWithStatus<
        ActivateConfigResponse | { change_request: ChangeRequest; created: boolean }
      >(`/api/v1/audit/${seq}/restore`, {
        body: {
          environment,
          expected_active: expectedActive,
          ...(freezeOverrideReason ? { freeze_override_reason: freezeOverrideReason } : {}),
        },
      });
      if (status === 202 && "change_request" in body) {
        return { kind: "change_request", environment, changeRequest: body.change_request, created: body.created };
      }
      return { kind: "applied", environment, version: body as ActivateConfigResponse };
    },
    onSettled: () => {
      for (const root of CHANGED_ROOTS) void client.invalidateQueries({ queryKey: [root] });
    },
  });
}
