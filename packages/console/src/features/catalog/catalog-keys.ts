/** @module Query keys of the catalog (one factory; every key starts with the root a governed change refreshes). */
import type { CatalogFilter } from "./catalog-filter";

export const catalogKeys = {
  /** Everything the catalog pages show (a catalog change refreshes it all, with what else a governed change alters). */
  all: ["catalog"] as const,
  list: (filter: CatalogFilter) => ["catalog", "list", filter] as const,
  parameter: (name: string) => ["catalog", "parameter", name] as const,
  rules: () => ["catalog", "rules"] as const,
  revisions: () => ["catalog", "revisions"] as const,
  revisionDiff: (a: number, b: number) => ["catalog", "revisions", "diff", a, b] as const,
  grid: (parameters: readonly string[]) => ["catalog", "grid", ...parameters] as const,
  /** Shadow evidence in one environment ("" for every one the reader may see), since a time ("" for all time). */
  shadow: (environment: string, since: string) => ["catalog", "shadow", environment, since] as const,
};
