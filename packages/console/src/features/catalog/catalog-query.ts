/** @module The catalog's parameters, filtered, with the current revision and strategy policies (GET /api/v1/catalog). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { CatalogList, CatalogParameter } from "@tradai/core";
import { api } from "@/lib/api";
import type { CatalogFilter } from "./catalog-filter";
import { catalogKeys } from "./catalog-keys";

/** One listed parameter: its definition and the revisions that created and last changed it. */
export interface CatalogItem {
  parameter: CatalogParameter;
  created_revision: number;
  updated_revision: number;
}

export type CatalogListing = Omit<CatalogList, "items"> & { items: CatalogItem[] };

export function useCatalog(filter: CatalogFilter = {}) {
  return useQuery({
    queryKey: catalogKeys.list(filter),
    queryFn: ({ signal }) => api<CatalogListing>("/api/v1/catalog", { query: { ...filter }, signal }),
    // While the filters change, the previous rows stay on screen instead of a skeleton.
    placeholderData: keepPreviousData,
  });
}
