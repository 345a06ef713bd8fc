/** @module One catalog parameter (GET /api/v1/catalog/parameters/{name}). */
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";
import type { CatalogItem } from "./catalog-query";

export function useCatalogParameter(name: string) {
  return useQuery({
    queryKey: catalogKeys.parameter(name),
    queryFn: ({ signal }) => api<CatalogItem>(`/api/v1/catalog/parameters/${encodeURIComponent(name)}`, { signal }),
  });
}
