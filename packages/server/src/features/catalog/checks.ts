/**
 * @module What the catalog says of a config version: valid content (types, bounds, allowed values,
 * deprecation, rules, unknown keys), and what its activation needs (every required parameter set).
 */
import {
  appliesTo,
  deprecatedValue,
  effectivePolicy,
  parameterGovernance,
  type UsedParameter,
  uncataloguedKeys,
  usedParameters,
  valueAt,
} from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError } from "../../http/errors.js";
import { configProblems, loadState } from "./state.js";
import { catalogStore } from "./store.js";

/** Validates a strategy's config data against the catalog; returns the revision used (null: empty catalog). */
export async function validateConfig(q: Queryable, strategy: string, configData: unknown): Promise<number | null> {
  const problems = configProblems(await loadState(q), strategy, configData);
  if (problems.length > 0) {
    const errors = problems.map((p) => ({ ...p, location: "body" as const }));
    throw InvalidInputError.of(errors);
  }
  const revision = await catalogStore(q).currentRevision();
  return revision === 0 ? null : revision;
}

/**
 * Checks before activation: every required parameter has a value (in the version, or a default).
 * (Immutable values are kept by the change kernel's gate, on every layer: changes/gate.ts.)
 * @throws ConflictError naming the parameters
 */
export async function checkActivation(
  q: Queryable,
  a: { strategy: string; environment: string; configData: unknown },
): Promise<void> {
  const parameters = (await catalogStore(q).parameters()).filter((p) => appliesTo(p, a.strategy) && !p.deprecated);
  const resolved = (data: unknown, name: string) => {
    const own = valueAt(data, name);
    if (own.found) return own;
    const p = parameters.find((x) => x.name === name);
    return p?.default !== undefined ? { found: true as const, value: p.default } : { found: false as const };
  };
  const missing = parameters.filter((p) => p.required && !resolved(a.configData, p.name).found).map((p) => p.name);
  if (missing.length > 0) {
    throw new ConflictError(
      `required parameters without a value (not in the version, no default): ${missing.join(", ")}`,
    );
  }
}

/** Each parameter's governance (criticality, bounds) and reload class, as the change kernel judges by them. */
export async function parameterGovernanceOf(q: Queryable) {
  const parameters = await catalogStore(q).parameters();
  return {
    governance: Object.fromEntries(parameters.map((p) => [p.name, parameterGovernance(p)])),
    reload: new Map(parameters.map((p) => [p.name, p.reload])),
  };
}

/** A deprecated value a run uses. */
export interface DeprecatedUse {
  key: string;
  value: unknown;
  replacement: unknown;
  reason: string;
}

export interface RunValuesVerdict {
  /** the catalog revision they were checked against (null: empty catalog) */
  catalogRevision: number | null;
  /** what the catalog says of each parameter they use, for the parameter set */
  used: Record<string, UsedParameter>;
  /** keys no parameter describes (an open policy lets them through) */
  uncatalogued: string[];
  /** deprecated values among them (each allowed, or the check would have refused it) */
  deprecated: DeprecatedUse[];
}

/**
 * Checks a run's merged values as a version's data is checked (the same validator: types, bounds,
 * allowed and deprecated values, deprecated parameters, unknown keys, coherence rules), and that
 * every required parameter has a value. `allowDeprecated` names the parameters whose deprecated
 * values are used on purpose ("all": a re-run, which reproduces what ran). `origin` says where a
 * value came from, for the message. @throws InvalidInputError naming each offending key
 */
export async function checkRunValues(
  q: Queryable,
  strategy: string,
  values: Record<string, unknown>,
  origin: (path: string) => string,
  allowDeprecated: ReadonlySet<string> | "all",
): Promise<RunValuesVerdict> {
  const state = await loadState(q);
  const applying = state.parameters.filter((p) => appliesTo(p, strategy));
  const allowed = allowDeprecated === "all" ? new Set(applying.map((p) => p.name)) : allowDeprecated;
  const errors = configProblems(state, strategy, values, { allowDeprecated: allowed }).map((p) => {
    const path = p.field.replace(/^config_data\.?/, "");
    return { field: path ? `config.${path}` : "config", location: "body" as const, message: p.message + origin(path) };
  });
  for (const p of applying.filter((x) => x.required && !x.deprecated && !valueAt(values, x.name).found)) {
    errors.push({
      field: `config.${p.name}`,
      location: "body",
      message:
        "is required: no value in the request, the config version, the environment's base values or the catalog's default",
    });
  }
  if (errors.length > 0) throw InvalidInputError.of(errors);
  const deprecated: DeprecatedUse[] = [];
  for (const p of applying) {
    const found = valueAt(values, p.name);
    const entry = found.found ? deprecatedValue(p, found.value) : undefined;
    if (found.found && entry) deprecated.push({ key: p.name, value: found.value, ...entry });
  }
  const policy = effectivePolicy(state.parameters, strategy, state.policies[strategy]);
  const revision = await catalogStore(q).currentRevision();
  return {
    catalogRevision: revision === 0 ? null : revision,
    used: usedParameters(state.parameters, strategy, values),
    uncatalogued: policy === "open" ? uncataloguedKeys(state.parameters, strategy, values) : [],
    deprecated,
  };
}
