/**
 * @module The mutation every catalog change uses: sends it (see `sendCatalogChange`) and, whatever
 * the answer, refreshes all a governed change can alter (the catalog, resolved configs, change
 * requests…).
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { invalidateGoverned } from "../governance/invalidate-governed";
import type { CatalogChangeOptions, CatalogChangeOutcome } from "./catalog-change";

export function useCatalogMutation<V extends CatalogChangeOptions>(send: (vars: V) => Promise<CatalogChangeOutcome>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSettled: () => invalidateGoverned(client) });
}
