/**
 * @module The whole catalog for a new strategy: every parameter (parsed with the server's defaults
 * filled in), every coherence rule, and the strategy policies (GET /api/v1/catalog, /catalog/rules).
 */
import { useQuery } from "@tanstack/react-query";
import { type CatalogList, type CatalogRule, catalogParameter } from "@tradai/core";
import { api } from "@/lib/api";
import type { WholeCatalog } from "./catalog-choices";

export const wholeCatalogKey = ["catalog", "whole"] as const;

export function useWholeCatalog() {
  return useQuery({
    queryKey: wholeCatalogKey,
    queryFn: async ({ signal }): Promise<WholeCatalog> => {
      const [list, rules] = await Promise.all([
        api<CatalogList>("/api/v1/catalog", { signal }),
        api<{ revision: number; items: CatalogRule[] }>("/api/v1/catalog/rules", { signal }),
      ]);
      return {
        revision: list.revision,
        parameters: list.items.map((entry) => catalogParameter.parse(entry.parameter)),
        rules: rules.items,
        policies: list.policies,
      };
    },
  });
}
