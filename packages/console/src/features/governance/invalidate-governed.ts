/**
 * @module What a governed change can alter, and the one helper every governed mutation calls when
 * it settles (applied, proposed or refused: the change requests and what is active may have moved).
 */
import type { QueryClient } from "@tanstack/react-query";

/**
 * Query-key roots that show what a governed change alters: versions and what is active, resolved
 * configs and base values, change requests, the dashboard, the catalog, environment policies, the
 * audit trail, and the imports of the legacy configuration (an import approved later is recorded then).
 */
export const GOVERNED_QUERY_ROOTS = [
  "configs",
  "versions",
  "resolve",
  "change-requests",
  "dashboard",
  "catalog",
  "environments",
  "audit",
  "imports",
] as const;

/**
 * Refreshes every query a governed change can alter.
 * @example
 * useMutation({ mutationFn, onSettled: () => invalidateGoverned(client) });
 */
export function invalidateGoverned(client: QueryClient): Promise<void> {
  return Promise.all(GOVERNED_QUERY_ROOTS.map((root) => client.invalidateQueries({ queryKey: [root] }))).then(
    () => undefined,
  );
}
