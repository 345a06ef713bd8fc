/** @module Saving config data as a version: 201 a new version, 200 identical content already existed. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CreateConfigResponse } from "@tradai/core";
import { apiWithStatus } from "@/lib/api";
import { invalidateGoverned } from "../governance/invalidate-governed";

export interface CreateVersionInput {
  strategy: string;
  environment: string;
  configData: Record<string, unknown>;
  description?: string;
}

export function useCreateVersionMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateVersionInput) => {
      const { body } = await apiWithStatus<CreateConfigResponse>("/api/v1/configs", {
        method: "POST",
        query: { environment: input.environment },
        body: {
          strategy_name: input.strategy,
          config_data: input.configData,
          ...(input.description ? { description: input.description } : {}),
        },
      });
      return body;
    },
    onSuccess: () => invalidateGoverned(client),
  });
}
