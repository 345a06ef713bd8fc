/**
 * @module Catalog changes (each a new revision): save a parameter (POST to add, PUT to replace),
 * deprecate one, save or remove a coherence rule, set a strategy's policy. Every one invalidates
 * the whole catalog root: a revision changes the list, the revisions and possibly the grid.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CatalogChangeResponse, CatalogParameterInput, CatalogPolicy, CatalogRule } from "@tradai/core";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";

const seg = encodeURIComponent;

function useCatalogMutation<V>(send: (vars: V) => Promise<CatalogChangeResponse>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    // The resolved configs depend on catalog defaults: refresh them too.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: catalogKeys.all }),
        client.invalidateQueries({ queryKey: ["resolve"] }),
      ]),
  });
}

export function useSaveParameter(mode: "create" | "update") {
  return useCatalogMutation((parameter: CatalogParameterInput) =>
    mode === "create"
      ? api<CatalogChangeResponse>("/api/v1/catalog", { method: "POST", body: parameter })
      : api<CatalogChangeResponse>(`/api/v1/catalog/parameters/${seg(parameter.name)}`, {
          method: "PUT",
          body: parameter,
        }),
  );
}

export function useDeprecateParameter(name: string) {
  return useCatalogMutation((how: { replacement?: string; reason: string }) =>
    api<CatalogChangeResponse>(`/api/v1/catalog/parameters/${seg(name)}/deprecate`, { method: "POST", body: how }),
  );
}

export function useSaveRule() {
  return useCatalogMutation((rule: CatalogRule) =>
    api<CatalogChangeResponse>("/api/v1/catalog/rules", { method: "POST", body: rule }),
  );
}

export function useRemoveRule() {
  return useCatalogMutation((name: string) =>
    api<CatalogChangeResponse>(`/api/v1/catalog/rules/${seg(name)}`, { method: "DELETE" }),
  );
}

export function useSetPolicy() {
  return useCatalogMutation(({ strategy, policy }: { strategy: string; policy: CatalogPolicy }) =>
    api<CatalogChangeResponse>(`/api/v1/catalog/policies/${seg(strategy)}`, { method: "PUT", body: { policy } }),
  );
}
