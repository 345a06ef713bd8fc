/** @module Setting a strategy's catalog policy, strict or open (PUT /api/v1/catalog/policies/{strategy}). */
import type { CatalogPolicy } from "@tradai/core";
import { type CatalogChangeOptions, sendCatalogChange } from "./catalog-change";
import { useCatalogMutation } from "./catalog-mutation";

export type PolicySet = { strategy: string; policy: CatalogPolicy } & CatalogChangeOptions;

export function useSetPolicy() {
  return useCatalogMutation(({ strategy, policy, ...options }: PolicySet) =>
    sendCatalogChange(`/api/v1/catalog/policies/${encodeURIComponent(strategy)}`, "PUT", { policy }, options),
  );
}
