/**
 * @module What the subscriber computes of a config's values, once per values object: their hash
 * (checked when a config arrives, needed again when it is applied whole) and their leaves (compared
 * key by key at each boundary). Values are never changed in place: received ones are kept as they
 * came, and those in use are frozen copies, so what was computed of an object stays true.
 */
import { contentHash, type JsonValue, leaves } from "@tradai/core";

const hashes = new WeakMap<object, string>();
const leafMaps = new WeakMap<object, ReadonlyMap<string, unknown>>();

export function valuesHash(values: Readonly<Record<string, unknown>>): string {
  let hash = hashes.get(values);
  if (hash === undefined) {
    hash = contentHash(values as JsonValue);
    hashes.set(values, hash);
  }
  return hash;
}

/** Each leaf's dotted path and value (core's `leaves`). */
export function valuesLeaves(values: Readonly<Record<string, unknown>>): ReadonlyMap<string, unknown> {
  let found = leafMaps.get(values);
  if (found === undefined) {
    found = leaves(values as Record<string, unknown>);
    leafMaps.set(values, found);
  }
  return found;
}
