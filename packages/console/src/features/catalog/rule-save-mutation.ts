/** @module Adding or replacing a coherence rule (POST /api/v1/catalog/rules). */
import type { CatalogRule } from "@tradai/core";
import { type CatalogChangeOptions, sendCatalogChange } from "./catalog-change";
import { useCatalogMutation } from "./catalog-mutation";

export type RuleSave = { rule: CatalogRule } & CatalogChangeOptions;

export function useSaveRule() {
  return useCatalogMutation(({ rule, ...options }: RuleSave) =>
    sendCatalogChange("/api/v1/catalog/rules", "POST", rule, options),
  );
}
