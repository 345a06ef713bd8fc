/** @module The catalog as it applies to one strategy: its parameters, coherence rules and policy. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import {
  appliesTo,
  type CatalogList,
  type CatalogParameter,
  type CatalogPolicy,
  type CatalogRule,
  catalogParameter,
  effectivePolicy,
} from "@tradai/core";
import { api } from "@/lib/api";

export interface StrategyCatalog {
  revision: number;
  parameters: CatalogParameter[];
  rules: CatalogRule[];
  policy: CatalogPolicy;
}

export const strategyCatalogKey = (strategy: string) => ["catalog", "strategy", strategy] as const;

export const strategyCatalogQuery = (strategy: string) =>
  queryOptions({
    queryKey: strategyCatalogKey(strategy),
    queryFn: async (): Promise<StrategyCatalog> => {
      const [list, rules] = await Promise.all([
        api<CatalogList>("/api/v1/catalog", { query: { strategy } }),
        api<{ revision: number; items: CatalogRule[] }>("/api/v1/catalog/rules"),
      ]);
      // The definitions as the server holds them, with the same defaults filled in (group, reload, ...).
      const parameters = list.items.map((entry) => catalogParameter.parse(entry.parameter));
      return {
        revision: list.revision,
        parameters,
        rules: rules.items.filter((rule) => appliesTo(rule, strategy)),
        // The server's rule: strict where the catalog describes the strategy, unless set.
        policy: effectivePolicy(parameters, strategy, list.policies[strategy]),
      };
    },
  });

export function useStrategyCatalog(strategy: string) {
  return useQuery(strategyCatalogQuery(strategy));
}
