/**
 * @module What the legacy config-versions registry held that did not add up (a hash that is not its
 * content's, an id that is not its version's, two ACTIVE items, a broken superseded chain, ...):
 * reported by the server, each with its kind and what was done about it.
 */
import type { ImportInconsistency } from "@tradai/core";

export function ImportInconsistencies({ inconsistencies }: { inconsistencies: readonly ImportInconsistency[] }) {
  return (
    <section aria-labelledby="import-inconsistencies-title" data-testid="import-inconsistencies">
      <h3 id="import-inconsistencies-title" className="text-sm font-semibold">
        Inconsistencies in the legacy registry
      </h3>
      {inconsistencies.length === 0 ? (
        <p className="text-sm text-muted-foreground">None: every item's id, hash, status and chain add up.</p>
      ) : (
        <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
          {inconsistencies.map((i) => (
            <li key={`${i.kind}:${i.message}`} data-kind={i.kind} data-legacy-id={i.legacy_id ?? undefined}>
              <code className="text-xs">{i.kind}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
