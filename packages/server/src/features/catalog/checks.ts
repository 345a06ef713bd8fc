/**
 * @module What the catalog says of a config version: valid content (types, bounds, allowed values,
 * deprecation, rules, unknown keys), and what its activation needs (every required parameter set;
 * immutable parameters unchanged where they are protected).
 */
import { appliesTo, parameterGovernance, valueAt } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError } from "../../http/errors.js";
import { configProblems, loadState, same } from "./state.js";
import { catalogStore } from "./store.js";

/** Validates a strategy's config data against the catalog; returns the revision used (null: empty catalog). */
export async function validateConfig(q: Queryable, strategy: string, configData: unknown): Promise<number | null> {
  const problems = configProblems(await loadState(q), strategy, configData);
  if (problems.length > 0) {
    const errors = problems.map((p) => ({ ...p, location: "body" as const }));
    throw new InvalidInputError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
  }
  const revision = await catalogStore(q).currentRevision();
  return revision === 0 ? null : revision;
}

/**
 * Checks before activation: every required parameter has a value (in the version, or a default),
 * and in the protected environment an immutable parameter keeps the value it had there.
 * @throws ConflictError naming the parameters
 */
export async function checkActivation(
  q: Queryable,
  a: { strategy: string; environment: string; configData: unknown; protectedEnvironment: string },
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
  if (a.environment !== a.protectedEnvironment) return;
  const { rows } = await q.query<{ config_data: unknown }>(
    `SELECT v.config_data FROM activations a JOIN config_versions v ON v.id = a.config_version_id
     WHERE a.strategy_name = $1 AND a.environment = $2 ORDER BY a.id DESC LIMIT 1`,
    [a.strategy, a.environment],
  );
  if (!rows[0]) return; // never active there: nothing is set yet
  const changed = parameters
    .filter((p) => p.immutable)
    .filter((p) => {
      const [before, after] = [resolved(rows[0]?.config_data, p.name), resolved(a.configData, p.name)];
      return before.found && (!after.found || !same(before.value, after.value));
    })
    .map((p) => p.name);
  if (changed.length > 0) {
    throw new ConflictError(`immutable parameters cannot change in ${a.environment} once set: ${changed.join(", ")}`);
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
