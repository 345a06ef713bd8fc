/** @module One config version (GET /api/v1/configs/{strategy}/{config_id}): what a restore would replace. */
import { useQuery } from "@tanstack/react-query";
import type { ConfigVersion } from "@tradai/core";
import { api } from "@/lib/api";

export function useConfigVersion(strategy: string, configId: string | null | undefined, environment: string) {
  return useQuery({
    queryKey: ["configs", "version", strategy, configId, environment],
    queryFn: () =>
      api<ConfigVersion>(`/api/v1/configs/${encodeURIComponent(strategy)}/${encodeURIComponent(configId ?? "")}`, {
        query: { environment },
      }),
    enabled: Boolean(configId),
  });
}
