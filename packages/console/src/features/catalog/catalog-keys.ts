/** @module Query keys of the catalog (one factory, so every mutation invalidates the same root). */
import type { CatalogFilter } from "./catalog-filter";

export const catalogKeys = {
  /** Everything the catalog pages show; a catalog change invalidates it all (a new revision touches lists, rules, revisions). */
  all: ["catalog"] as const,
  list: (filter: CatalogFilter) => ["catalog", "list", filter] as const,
  parameter: (name: string) => ["catalog", "parameter", name] as const,
  rules: () => ["catalog", "rules"] as const,
  revisions: () => ["catalog", "revisions"] as const,
  revisionDiff: (a: number, b: number) => ["catalog", "revisions", "diff", a, b] as const,
  grid: (parameters: readonly string[]) => ["catalog", "grid", ...parameters] as const,
};
