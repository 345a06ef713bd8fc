/**
 * @module The legacy configuration had three sources of a value (seed 004 §2.2): the database row,
 * the fallback file `config/ftf_baseline.json`, and each pod's environment variables. Before the
 * cut-over, every key where they disagree is reported, with what each holds and which one the old
 * rules served; the operator chooses per key or by rule, and the choice is recorded with the import.
 *
 * The old rules, as the legacy workers applied them: a pod's environment variable wins when it is
 * set; else the database row; the file only when the database has no value.
 */
import { canonicalJson } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";
import { leaves } from "../resolution/layers.js";

export const LEGACY_VALUE_SOURCES = ["db", "file", "env"] as const;
export type LegacyValueSource = (typeof LEGACY_VALUE_SOURCES)[number];

export interface Disagreement {
  key: string;
  /** what each source holds; absent: it has no value for the key */
  db?: unknown;
  file?: unknown;
  env?: unknown;
  /** the source the legacy workers would have served */
  served_by_old_rules: LegacyValueSource;
  /** the source chosen for the import, and the value it gives (absent: the key is left out) */
  chosen: LegacyValueSource;
  value?: unknown;
}

/** `FTF_RISK__STOPLOSS=-0.05` -> `risk.stoploss`: the prefix dropped, lower case, `__` a dot. */
export function envKey(name: string, prefix: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  return name.slice(prefix.length).toLowerCase().split("__").join(".");
}

/** An environment variable's text as a value: JSON where it reads as JSON (numbers, true, lists), else the text. */
export function envValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const same = (a: unknown, b: unknown) => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);

/**
 * Every key where the sources that hold it disagree (or where only the file or the environment
 * holds it), with the old rules' choice and the operator's: `choices` per key, else `prefer`, else
 * the old rules. @returns the disagreements, and the values to import (the database row, reconciled)
 */
export function reconcileSources(input: {
  db: Record<string, unknown>;
  file?: Record<string, unknown> | undefined;
  env?: Record<string, unknown> | undefined;
  prefer?: LegacyValueSource | undefined;
  choices?: Readonly<Record<string, LegacyValueSource>>;
}): { disagreements: Disagreement[]; values: Record<string, unknown> } {
  const db = leaves(input.db);
  const file = leaves(input.file ?? {});
  const env = input.env ?? {};
  const keys = [...new Set([...db.keys(), ...file.keys(), ...Object.keys(env)])].sort();
  const disagreements: Disagreement[] = [];
  const chosen = new Map<string, { present: boolean; value?: unknown }>();
  for (const key of keys) {
    const held: Partial<Record<LegacyValueSource, unknown>> = {};
    if (db.has(key)) held.db = db.get(key);
    if (file.has(key)) held.file = file.get(key);
    if (key in env) held.env = env[key];
    const values = Object.values(held);
    const agree = db.has(key) && values.every((v) => same(v, held.db));
    if (agree) continue;
    const old: LegacyValueSource = "env" in held ? "env" : "db" in held ? "db" : "file";
    const pick = input.choices?.[key] ?? (input.prefer && input.prefer in held ? input.prefer : old);
    const value = held[pick];
    disagreements.push({
      key,
      ...held,
      served_by_old_rules: old,
      chosen: pick,
      ...(pick in held ? { value } : {}),
    });
    chosen.set(key, pick in held ? { present: true, value } : { present: false });
  }
  // The database row, with each disagreeing key as chosen (set, or left out).
  const values = structuredClone(input.db);
  for (const [key, pick] of chosen) setPath(values, key, pick);
  return { disagreements, values };
}

function setPath(target: Record<string, unknown>, key: string, pick: { present: boolean; value?: unknown }): void {
  const parts = key.split(".");
  const last = parts.pop() as string;
  let node = target;
  for (const part of parts) {
    if (typeof node[part] !== "object" || node[part] === null || Array.isArray(node[part])) {
      if (!pick.present) return;
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  if (pick.present) node[last] = pick.value;
  else delete node[last];
}
