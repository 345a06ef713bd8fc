/**
 * @module The worker's own signals, named as in the Python library: `config_version_applied` for
 * each change applied at a boundary (KPI 3: strategy, environment, version, hash, seq, latency from
 * the change's commit, boundary), and `config_apply_violation` for a key that changed where its
 * reload class forbids it (KPI 4). The library cannot produce a violation; the check exists so
 * that a broken apply would be seen, counted in heartbeats, and alerted on. A `shadow` key's change
 * is never applied: `config_shadow_would_apply` says where it would have been.
 */
import { type ReloadClass, reloadClassOf } from "@tradai/core";
import type { AppliedConfig } from "./applied-state.js";
import { jsonEqual } from "./json-equal.js";
import { valuesLeaves } from "./values-memo.js";

export type WorkerEventName =
  | "config_version_applied"
  | "config_apply_violation"
  | "config_shadow_would_apply"
  | "config_refused";
export type WorkerEventSink = (name: WorkerEventName, fields: Record<string, unknown>) => void;

/** Keys that changed in `after` where their class does not allow it (restart or shadow live, between_trades with trades open). */
export function unsafeChanges(
  before: AppliedConfig,
  after: AppliedConfig,
  reloadOf: ReadonlyMap<string, ReloadClass>,
  openTrades: number | undefined,
): { key: string; reload: ReloadClass }[] {
  const was = valuesLeaves(before.values);
  const now = valuesLeaves(after.values);
  const found: { key: string; reload: ReloadClass }[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const same = was.has(key) && now.has(key) && jsonEqual(was.get(key), now.get(key));
    if (same) continue;
    const reload = reloadClassOf(key, reloadOf);
    if (reload === "restart" || reload === "shadow" || (reload === "between_trades" && openTrades !== 0))
      found.push({ key, reload });
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : 1));
}
