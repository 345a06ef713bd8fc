/**
 * @module Comparability key by key: each value that differs between two parameter sets (counted,
 * or ignorable where the catalog says so in both), each key the catalog typed, described or ruled
 * differently, each value that came from another layer.
 */
import { canonicalJson } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";
import { valueAt } from "../catalog/paths.js";
import type { ComparabilityReason } from "./comparability-schemas.js";
import { diffLeafPaths, diffValues } from "./diff.js";
import { PARAMETER_SET_SCHEMA, type ParameterSet, type UsedParameter } from "./parameter-set.js";

type Catalog = Record<string, UsedParameter>;

/** A value as a message shows it. */
export const shown = (v: unknown): string => (v === undefined ? "absent" : JSON.stringify(v));
/** Equal as JSON (absent equals only absent). */
export const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (a !== undefined && b !== undefined && canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue));
const at = (values: Record<string, unknown>, key: string) => {
  const found = valueAt(values, key);
  return found.found ? found.value : undefined;
};

/** The catalog parameter that governs `key`: itself, or the longest parameter name it lies under. */
function governing(catalog: Catalog, key: string): string | undefined {
  let best: string | undefined;
  for (const name of Object.keys(catalog)) {
    if ((key === name || key.startsWith(`${name}.`)) && (best === undefined || name.length > best.length)) best = name;
  }
  return best;
}

function valueReason(key: string, a: unknown, b: unknown, catA: Catalog, catB: Catalog): ComparabilityReason {
  const [nameA, nameB] = [governing(catA, key), governing(catB, key)];
  const ignoredA = nameA !== undefined && catA[nameA]?.comparability === "ignore";
  const ignoredB = nameB !== undefined && catB[nameB]?.comparability === "ignore";
  const what = `${key} is ${shown(a)} in run A and ${shown(b)} in run B`;
  if (ignoredA && ignoredB) {
    const name = nameA === key ? "it" : nameA;
    return {
      key,
      kind: "ignored_value",
      effect: "relaxed",
      a,
      b,
      message: `${what}; the catalog marks ${name} "comparability: ignore" in both runs, so this difference does not stop the comparison`,
    };
  }
  const onlyOne = ignoredA || ignoredB ? ` (the catalog marks it ignorable in run ${ignoredA ? "A" : "B"} only)` : "";
  return {
    key,
    kind: "value",
    effect: "forbidden",
    a,
    b,
    message: `${what}: the runs did not use the same parameters${onlyOne}, so a difference in their results may come from this key`,
  };
}

const RULE_FIELDS = [
  "min",
  "max",
  "step",
  "allowed",
  "reload",
  "criticality",
  "deprecated",
  "deprecated_values",
  "comparability",
] as const;

function catalogReason(name: string, a: ParameterSet, b: ParameterSet): ComparabilityReason | undefined {
  const [ea, eb] = [a.catalog?.[name], b.catalog?.[name]];
  if (!ea || !eb) {
    const [side, other, entry] = ea ? ["A", b, ea] : ["B", a, eb];
    const there = other.uncatalogued?.includes(name) ? "kept uncatalogued (an open policy)" : "not described";
    return {
      key: name,
      kind: "catalog_entry",
      effect: "relaxed",
      a: ea?.type,
      b: eb?.type,
      message: `the catalog described ${name} (a ${entry?.type}) in run ${side} only; it was ${there} in the other. Its value is the same in both runs`,
    };
  }
  if (ea.type !== eb.type) {
    return {
      key: name,
      kind: "catalog_type",
      effect: "forbidden",
      a: ea.type,
      b: eb.type,
      message: `the catalog typed ${name} ${ea.type} in run A and ${eb.type} in run B: what the key means changed between the runs, so the same value may not mean the same thing`,
    };
  }
  const changed = RULE_FIELDS.filter((f) => !sameValue(ea[f], eb[f]));
  if (changed.length === 0) return undefined;
  const pick = (e: UsedParameter) => Object.fromEntries(changed.map((f) => [f, e[f] ?? null]));
  return {
    key: name,
    kind: "catalog_rules",
    effect: "relaxed",
    a: pick(ea),
    b: pick(eb),
    message: `the catalog's ${changed.join(", ")} for ${name} changed between the runs; the value is the same in both, so it was the same input`,
  };
}

/** Every key-level difference between the two sets' values and the catalog's word on them. */
export function keyDifferences(a: ParameterSet, b: ParameterSet): ComparabilityReason[] {
  const [catA, catB] = [a.catalog ?? {}, b.catalog ?? {}];
  const reasons: ComparabilityReason[] = [];
  // A legacy set kept no catalog metadata and no code (its legacy reason says so).
  const legacy = a.schema !== PARAMETER_SET_SCHEMA || b.schema !== PARAMETER_SET_SCHEMA;
  // The task definition names the code, which sets of the current schema record and compare by version.
  const judgedAsCode = (key: string) => !legacy && key === "task_definition";
  const differing = diffLeafPaths(diffValues(a.values, b.values)).filter((key) => !judgedAsCode(key));
  for (const key of differing) reasons.push(valueReason(key, at(a.values, key), at(b.values, key), catA, catB));

  const usedInBoth = (key: string) => valueAt(a.values, key).found && valueAt(b.values, key).found;
  for (const name of legacy ? [] : [...new Set([...Object.keys(catA), ...Object.keys(catB)])].sort()) {
    if (!usedInBoth(name)) continue; // a key one run did not use: its value's reason says it
    const reason = catalogReason(name, a, b);
    if (reason) reasons.push(reason);
  }

  for (const key of [...new Set([...Object.keys(a.provenance), ...Object.keys(b.provenance)])].sort()) {
    const [la, lb] = [a.provenance[key], b.provenance[key]];
    if (la === lb || la === undefined || lb === undefined) continue;
    if (!sameValue(at(a.values, key), at(b.values, key))) continue; // its value's reason says what matters
    reasons.push({
      key,
      kind: "provenance",
      effect: "relaxed",
      a: la,
      b: lb,
      message: `${key} has the same value in both runs, given by the ${la.replaceAll("_", " ")} in run A and by the ${lb.replaceAll("_", " ")} in run B: where a value came from does not change what was computed`,
    });
  }
  return reasons;
}
