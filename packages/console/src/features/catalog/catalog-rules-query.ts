/** @module The coherence rules (GET /api/v1/catalog/rules). */
import { useQuery } from "@tanstack/react-query";
import type { CatalogRule } from "@tradai/core";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";

export function useCatalogRules() {
  return useQuery({
    queryKey: catalogKeys.rules(),
    queryFn: ({ signal }) => api<{ revision: number; items: CatalogRule[] }>("/api/v1/catalog/rules", { signal }),
  });
}
