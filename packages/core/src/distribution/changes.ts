/** @module What a change to a resolved config changed, key by key, with each key's reload class. */
import { diffLeafPaths, diffValues } from "../runs/diff.js";

/**
 * How a running worker takes a new value: `hot` at its next boundary; `between_trades` only at a
 * boundary where it holds no open trade (held, and reported as waiting, until then); `restart`
 * never (it waits for a restart); `shadow` never either: at the boundary where a hot key would take
 * it, the worker reports `config_shadow_would_apply` (the evidence on which a parameter is switched
 * to hot). The default, and the class of a key no parameter describes, is `restart`.
 */
export const RELOAD_CLASSES = ["hot", "between_trades", "restart", "shadow"] as const;
export type ReloadClass = (typeof RELOAD_CLASSES)[number];

export interface ChangedKey {
  key: string;
  reload: ReloadClass;
}

/**
 * The leaf keys that differ between two resolved configs. A key takes the reload class of the
 * catalog parameter that is it or contains it (the longest such name); a key the catalog does not
 * describe is `restart`: nothing unknown is applied live.
 */
export function changedKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  reloadOf: ReadonlyMap<string, ReloadClass>,
): ChangedKey[] {
  return diffLeafPaths(diffValues(before, after)).map((key) => ({ key, reload: reloadClassOf(key, reloadOf) }));
}

/** The reload class of the parameter that is `key` or contains it (the longest name); else `restart`. */
export function reloadClassOf(key: string, reloadOf: ReadonlyMap<string, ReloadClass>): ReloadClass {
  const parts = key.split(".");
  for (let n = parts.length; n > 0; n--) {
    const reload = reloadOf.get(parts.slice(0, n).join("."));
    if (reload) return reload;
  }
  return "restart";
}
