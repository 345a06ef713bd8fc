/**
 * @module Asking for a version to be active: activate, promote or roll back. The server answers
 * 200 (applied) or 202 (a change request was opened); both are returned, told apart.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActivateConfigResponse } from "@tradai/core";
import { type Governed, governed } from "@/lib/governed";
import { invalidateGoverned } from "../governance/invalidate-governed";

export type ActivationRequest =
  | {
      kind: "activate";
      strategy: string;
      configId: string;
      environment: string;
      expectedActive?: string | null;
      freezeOverrideReason?: string;
    }
  | {
      kind: "promote";
      strategy: string;
      configId: string;
      from: string;
      to: string;
      freezeOverrideReason?: string;
    }
  | { kind: "rollback"; strategy: string; environment: string; freezeOverrideReason?: string };

/** What became of it, with the environment it was about. */
export type ActivationResult = Governed<ActivateConfigResponse> & { environment: string };

const configPath = (strategy: string, rest: string) => `/api/v1/configs/${encodeURIComponent(strategy)}/${rest}`;

async function send(request: ActivationRequest) {
  switch (request.kind) {
    case "activate":
      return governed<ActivateConfigResponse>(
        configPath(request.strategy, `${encodeURIComponent(request.configId)}/activate`),
        {
          method: "POST",
          query: { environment: request.environment },
          body: {
            ...(request.expectedActive !== undefined ? { expected_active: request.expectedActive } : {}),
            ...(request.freezeOverrideReason ? { freeze_override_reason: request.freezeOverrideReason } : {}),
          },
        },
      );
    case "promote":
      return governed<ActivateConfigResponse>(
        configPath(request.strategy, `${encodeURIComponent(request.configId)}/promote`),
        {
          method: "POST",
          body: {
            from: request.from,
            to: request.to,
            ...(request.freezeOverrideReason ? { freeze_override_reason: request.freezeOverrideReason } : {}),
          },
        },
      );
    case "rollback":
      return governed<ActivateConfigResponse>(configPath(request.strategy, "rollback"), {
        method: "POST",
        query: { environment: request.environment },
        ...(request.freezeOverrideReason ? { body: { freeze_override_reason: request.freezeOverrideReason } } : {}),
      });
  }
}

export const targetEnvironment = (request: ActivationRequest) =>
  request.kind === "promote" ? request.to : request.environment;

export function useActivationMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (request: ActivationRequest): Promise<ActivationResult> => ({
      ...(await send(request)),
      environment: targetEnvironment(request),
    }),
    onSettled: () => invalidateGoverned(client),
  });
}
