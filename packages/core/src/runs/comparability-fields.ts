/**
 * @module Comparability around the values: legacy sets, strategies, the code and the platform that
 * ran (semver patch apart: relaxed; further or unreadable: forbidden), and the context that does
 * not change what a run computes (config version, catalog revision, launcher, sweep, ...).
 */
import { codeVersionDistance } from "./code-versions.js";
import { sameValue, shown } from "./comparability-keys.js";
import type { ComparabilityReason } from "./comparability-schemas.js";
import { PARAMETER_SET_SCHEMA, type ParameterSet } from "./parameter-set.js";

const LEGACY = (set: ParameterSet) => set.schema !== PARAMETER_SET_SCHEMA;

function legacyReason(a: ParameterSet, b: ParameterSet): ComparabilityReason | undefined {
  const sides = [LEGACY(a) ? "A" : "", LEGACY(b) ? "B" : ""].filter(Boolean);
  if (sides.length === 0) return undefined;
  const which = sides.length === 2 ? "both runs use" : `run ${sides[0]} uses`;
  return {
    field: "schema",
    kind: "legacy",
    effect: "forbidden",
    a: a.schema,
    b: b.schema,
    message: `${which} a legacy parameter set (${sides.length === 2 ? a.schema : LEGACY(a) ? a.schema : b.schema}), made before the catalog's word on each key and the code version were kept: nothing says which code ran or what its keys meant, so it cannot be compared`,
  };
}

/** `code.version` or `platform_version`: a patch apart is relaxed; anything further, or unreadable, forbidden. */
function versionReason(field: string, what: string, a?: string, b?: string): ComparabilityReason | undefined {
  const distance = codeVersionDistance(a, b);
  if (distance === "same") return undefined;
  const both = `${what} is ${shown(a)} in run A and ${shown(b)} in run B`;
  if (distance === "patch") {
    return {
      field,
      kind: "code_patch",
      effect: "relaxed",
      a,
      b,
      message: `${both}: only the patch version differs (the z of x.y.z), a fix meant not to change results`,
    };
  }
  const why =
    distance === "unreadable"
      ? a === undefined || b === undefined
        ? "one run does not say which code ran"
        : "they cannot be read as versions of the same code (semver x.y.z of one name)"
      : `they differ in the ${distance} version, which may change behaviour`;
  return {
    field,
    kind: "code_version",
    effect: "forbidden",
    a,
    b,
    message: `${both}: ${why}, so a difference in their results may come from the code`,
  };
}

function codeReasons(a: ParameterSet, b: ParameterSet): ComparabilityReason[] {
  const reasons: ComparabilityReason[] = [];
  const [va, vb] = [a.code?.version, b.code?.version];
  const version = versionReason("code.version", "the code version", va, vb);
  if (version) reasons.push(version);
  const [ta, tb] = [a.code?.task_definition, b.code?.task_definition];
  if (ta !== tb) {
    const known = va !== undefined && vb !== undefined;
    reasons.push({
      field: "code.task_definition",
      kind: "task_definition",
      effect: known ? "relaxed" : "forbidden",
      a: ta,
      b: tb,
      message: known
        ? `the runs used different task definitions (${shown(ta)}, ${shown(tb)}); their code is compared by version (code.version)`
        : `the runs used different task definitions (${shown(ta)}, ${shown(tb)}) and do not both record a code version: nothing says the same code ran`,
    });
  }
  return reasons;
}

/** Fields around the values that do not change what a run computes, and why. */
const CONTEXT: Partial<Record<keyof ParameterSet, string>> = {
  config_version_id: "the values they resolved to are compared key by key",
  catalog_revision: "the catalog's word on each key used is compared key by key",
  environment_base: "the values the base gave are compared key by key",
  launcher: "how a run was started does not change what it computes",
  deprecated_allowed: "the values are compared key by key; this is why deprecated values were run",
};

function contextReasons(a: ParameterSet, b: ParameterSet): ComparabilityReason[] {
  const reasons: ComparabilityReason[] = [];
  for (const [field, why] of Object.entries(CONTEXT) as [keyof ParameterSet, string][]) {
    if (sameValue(a[field], b[field])) continue;
    reasons.push({
      field,
      kind: "context",
      effect: "relaxed",
      a: a[field],
      b: b[field],
      message: `${field} is ${shown(a[field])} in run A and ${shown(b[field])} in run B: ${why}`,
    });
  }
  if (a.config_version_id === b.config_version_id && a.config_hash !== b.config_hash) {
    reasons.push({
      field: "config_hash",
      kind: "context",
      effect: "relaxed",
      a: a.config_hash,
      b: b.config_hash,
      message: "the config version's content hash differs: the values it gave are compared key by key",
    });
  }
  if (a.sweep?.id !== b.sweep?.id) {
    reasons.push({
      field: "sweep",
      kind: "identity",
      effect: "none",
      a: a.sweep?.id,
      b: b.sweep?.id,
      message: `the runs are points of ${a.sweep && b.sweep ? "different sweeps" : "a sweep and of no sweep"}: which sweep a run belongs to identifies it, it does not change what it computes (its point is in the values)`,
    });
  }
  return reasons;
}

/** Every difference between the two sets outside their values. */
export function fieldDifferences(a: ParameterSet, b: ParameterSet): ComparabilityReason[] {
  const reasons: ComparabilityReason[] = [];
  const legacy = legacyReason(a, b);
  if (legacy) reasons.push(legacy);
  if (a.strategy !== b.strategy) {
    reasons.push({
      field: "strategy",
      kind: "strategy",
      effect: "forbidden",
      a: a.strategy,
      b: b.strategy,
      message: `run A is a ${a.strategy} run and run B a ${b.strategy} run: different strategies are different code`,
    });
  }
  // A legacy set records no code: its legacy reason already says so.
  if (!legacy) reasons.push(...codeReasons(a, b));
  const platform = versionReason("platform_version", "the platform version", a.platform_version, b.platform_version);
  if (platform) reasons.push(platform);
  reasons.push(...contextReasons(a, b));
  return reasons;
}
