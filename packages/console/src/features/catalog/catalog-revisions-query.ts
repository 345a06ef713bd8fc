/** @module Catalog revisions, newest first (GET /api/v1/catalog/revisions), and the diff of two. */
import { useQuery } from "@tanstack/react-query";
import type { CatalogRevisionDiff } from "@tradai/core";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";

export interface CatalogRevision {
  revision: number;
  created_at: string;
  created_by: string;
  summary: string;
  forced_reason: string | null;
}

export function useCatalogRevisions() {
  return useQuery({
    queryKey: catalogKeys.revisions(),
    queryFn: ({ signal }) => api<{ items: CatalogRevision[] }>("/api/v1/catalog/revisions", { signal }),
  });
}

/** What changed from revision `a` to `b`; idle until both are chosen. */
export function useCatalogRevisionDiff(a: number | undefined, b: number | undefined) {
  return useQuery({
    queryKey: catalogKeys.revisionDiff(a ?? -1, b ?? -1),
    queryFn: ({ signal }) => api<CatalogRevisionDiff>(`/api/v1/catalog/revisions/${a}/diff/${b}`, { signal }),
    enabled: a !== undefined && b !== undefined,
  });
}
