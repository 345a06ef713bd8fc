/** @module The catalog's answer shaped for one strategy, with the server's own rules (zod, the policy). */
import { appliesTo, type CatalogList, type CatalogRule, catalogParameter, effectivePolicy } from "@tradai/core";
import type { StrategyCatalog } from "./catalog-query";

export function strategyCatalogOf(list: CatalogList, rules: readonly CatalogRule[], strategy: string): StrategyCatalog {
  // The definitions as the server holds them, with the same defaults filled in (group, reload, ...).
  const parameters = list.items.map((entry) => catalogParameter.parse(entry.parameter));
  return {
    revision: list.revision,
    parameters,
    rules: rules.filter((rule) => appliesTo(rule, strategy)),
    // The server's rule: strict where the catalog describes the strategy, unless set.
    policy: effectivePolicy(parameters, strategy, list.policies[strategy]),
  };
}
