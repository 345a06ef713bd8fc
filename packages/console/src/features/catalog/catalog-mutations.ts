/**
 * @module Catalog changes (each a new revision): save a parameter (POST to add, PUT to replace),
 * deprecate one, save or remove a coherence rule, set a strategy's policy. Each takes an optional
 * `forceReason` (sent as force_reason: apply although active versions become invalid). Every one
 * invalidates the whole catalog root: a revision changes the list, the revisions and possibly the grid.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CatalogChangeResponse, CatalogParameterInput, CatalogPolicy, CatalogRule } from "@tradai/core";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";

const seg = encodeURIComponent;

/** What every change may carry besides its own fields. */
export interface Forcing {
  forceReason?: string;
}

function useCatalogMutation<V extends Forcing>(
  send: (vars: V, query: { force_reason?: string }) => Promise<CatalogChangeResponse>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => send(vars, { force_reason: vars.forceReason }),
    // The resolved configs depend on catalog defaults: refresh them too.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: catalogKeys.all }),
        client.invalidateQueries({ queryKey: ["resolve"] }),
      ]),
  });
}

export function useSaveParameter(mode: "create" | "update") {
  return useCatalogMutation(({ parameter }: { parameter: CatalogParameterInput } & Forcing, query) =>
    mode === "create"
      ? api<CatalogChangeResponse>("/api/v1/catalog", { method: "POST", body: parameter, query })
      : api<CatalogChangeResponse>(`/api/v1/catalog/parameters/${seg(parameter.name)}`, {
          method: "PUT",
          body: parameter,
          query,
        }),
  );
}

export function useDeprecateParameter(name: string) {
  return useCatalogMutation(({ how }: { how: { replacement?: string; reason: string } } & Forcing, query) =>
    api<CatalogChangeResponse>(`/api/v1/catalog/parameters/${seg(name)}/deprecate`, {
      method: "POST",
      body: how,
      query,
    }),
  );
}

export function useSaveRule() {
  return useCatalogMutation(({ rule }: { rule: CatalogRule } & Forcing, query) =>
    api<CatalogChangeResponse>("/api/v1/catalog/rules", { method: "POST", body: rule, query }),
  );
}

export function useRemoveRule() {
  return useCatalogMutation(({ name }: { name: string } & Forcing) =>
    api<CatalogChangeResponse>(`/api/v1/catalog/rules/${seg(name)}`, { method: "DELETE" }),
  );
}

export function useSetPolicy() {
  return useCatalogMutation(({ strategy, policy }: { strategy: string; policy: CatalogPolicy } & Forcing, query) =>
    api<CatalogChangeResponse>(`/api/v1/catalog/policies/${seg(strategy)}`, {
      method: "PUT",
      body: { policy },
      query,
    }),
  );
}
