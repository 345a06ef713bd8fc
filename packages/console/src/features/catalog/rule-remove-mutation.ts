/** @module Removing a coherence rule (DELETE /api/v1/catalog/rules/{name}). */
import { type CatalogChangeOptions, sendCatalogChange } from "./catalog-change";
import { useCatalogMutation } from "./catalog-mutation";

export type RuleRemoval = { name: string } & CatalogChangeOptions;

export function useRemoveRule() {
  return useCatalogMutation(({ name, ...options }: RuleRemoval) =>
    sendCatalogChange(`/api/v1/catalog/rules/${encodeURIComponent(name)}`, "DELETE", undefined, options),
  );
}
