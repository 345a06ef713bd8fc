/** @module The catalog as it applies to one strategy: its parameters, coherence rules and policy. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { CatalogList, CatalogParameter, CatalogPolicy, CatalogRule } from "@tradai/core";
import { api } from "@/lib/api";

export interface StrategyCatalog {
  revision: number;
  parameters: CatalogParameter[];
  rules: CatalogRule[];
  policy: CatalogPolicy;
}

export const strategyCatalogKey = (strategy: string) => ["catalog", "strategy", strategy] as const;

/**
 * Light enough for the console's entry (the first load's prefetch): the requests leave at once, and
 * the code that shapes their answers (the catalog's schemas) loads alongside them.
 */
export const strategyCatalogQuery = (strategy: string) =>
  queryOptions({
    queryKey: strategyCatalogKey(strategy),
    queryFn: async (): Promise<StrategyCatalog> => {
      const [list, rules, { strategyCatalogOf }] = await Promise.all([
        api<CatalogList>("/api/v1/catalog", { query: { strategy } }),
        api<{ revision: number; items: CatalogRule[] }>("/api/v1/catalog/rules"),
        import("./strategy-catalog"),
      ]);
      return strategyCatalogOf(list, rules.items, strategy);
    },
  });

export function useStrategyCatalog(strategy: string) {
  return useQuery(strategyCatalogQuery(strategy));
}
