/** @module What a change to a resolved config changed, key by key, with each key's reload class. */
import { diffValues } from "../runs/diff.js";

export type ReloadClass = "hot" | "restart";

export interface ChangedKey {
  key: string;
  reload: ReloadClass;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function leafPaths(path: string, value: unknown): string[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return [path];
  return Object.entries(value).flatMap(([key, inner]) => leafPaths(`${path}.${key}`, inner));
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
  const diff = diffValues(before, after);
  const keys = [
    ...Object.entries(diff.added).flatMap(([path, value]) => leafPaths(path, value)),
    ...Object.entries(diff.removed).flatMap(([path, value]) => leafPaths(path, value)),
    ...Object.keys(diff.changed),
  ].sort();
  return keys.map((key) => {
    const parts = key.split(".");
    for (let n = parts.length; n > 0; n--) {
      const reload = reloadOf.get(parts.slice(0, n).join("."));
      if (reload) return { key, reload };
    }
    return { key, reload: "restart" };
  });
}
