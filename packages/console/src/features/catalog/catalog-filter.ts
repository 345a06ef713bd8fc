/** @module The catalog list's filters, kept in the page's URL (?q=&group=&strategy=&type=&deprecated=). */
export interface CatalogFilter {
  q?: string;
  group?: string;
  strategy?: string;
  type?: string;
  deprecated?: "true" | "false";
}

export const FILTER_NAMES = ["q", "group", "strategy", "type", "deprecated"] as const;

/** The filters present in the search params (empty ones left out). */
export function filterFromSearch(search: URLSearchParams): CatalogFilter {
  const filter: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const value = search.get(name);
    if (value) filter[name] = value;
  }
  return filter as CatalogFilter;
}
