/** @module Deprecating a version (terminal, in every environment). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { DeprecateConfigResponse } from "@tradai/core";
import { api } from "@/lib/api";
import { invalidateGoverned } from "../governance/invalidate-governed";

export function useDeprecateMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { strategy: string; configId: string; environment: string; reason?: string }) =>
      api<DeprecateConfigResponse>(
        `/api/v1/configs/${encodeURIComponent(input.strategy)}/${encodeURIComponent(input.configId)}/deprecate`,
        {
          method: "POST",
          query: { environment: input.environment },
          body: input.reason ? { reason: input.reason } : {},
        },
      ),
    onSettled: () => invalidateGoverned(client),
  });
}
