/** @module Differences between two sets of values, by dotted path (e.g. `minimal_roi.60`). */
import { canonicalJson } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";
import { isPlainObject } from "../catalog/paths.js";
import { leaves } from "../resolution/layers.js";

export interface ValuesDiff {
  added: Record<string, unknown>;
  removed: Record<string, unknown>;
  changed: Record<string, { old: unknown; new: unknown }>;
}

const same = (a: unknown, b: unknown) => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);

/** Objects are compared key by key; arrays and scalars as whole values. */
export function diffValues(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ""): ValuesDiff {
  const diff: ValuesDiff = { added: {}, removed: {}, changed: {} };
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const path = prefix + key;
    const [a, b] = [before[key], after[key]];
    if (!(key in after)) diff.removed[path] = a;
    else if (!(key in before)) diff.added[path] = b;
    else if (isPlainObject(a) && isPlainObject(b)) {
      const inner = diffValues(a, b, `${path}.`);
      Object.assign(diff.added, inner.added);
      Object.assign(diff.removed, inner.removed);
      Object.assign(diff.changed, inner.changed);
    } else if (!same(a, b)) diff.changed[path] = { old: a, new: b };
  }
  return diff;
}

/**
 * Every leaf path a diff touches, sorted: an added or removed object stands for each of its leaves
 * (`risk` = {a: 1} is `risk.a`); a changed path as it is.
 */
export function diffLeafPaths(diff: ValuesDiff): string[] {
  const expand = ([path, value]: [string, unknown]) =>
    isPlainObject(value) && Object.keys(value).length > 0 ? [...leaves(value, new Set(), `${path}.`).keys()] : [path];
  return [
    ...Object.entries(diff.added).flatMap(expand),
    ...Object.entries(diff.removed).flatMap(expand),
    ...Object.keys(diff.changed),
  ].sort();
}
