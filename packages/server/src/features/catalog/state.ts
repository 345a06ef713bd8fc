/**
 * @module The catalog as one value (parameters, policies, rules), and what it says of config data:
 * every problem per parameter path and per violated rule, and the problems of every active version.
 */
import {
  appliesTo,
  type CatalogParameter,
  type CatalogPolicy,
  type CatalogRule,
  type CompileOptions,
  canonicalJson,
  effectivePolicy,
  evaluateRules,
  formatPath,
  type JsonValue,
  validateConfigData,
} from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { catalogStore } from "./store.js";

export interface CatalogState {
  parameters: CatalogParameter[];
  policies: Record<string, CatalogPolicy>;
  rules: CatalogRule[];
}

export const loadState = async (q: Queryable): Promise<CatalogState> => {
  const store = catalogStore(q);
  return { parameters: await store.parameters(), policies: await store.policies(), rules: await store.rules() };
};

export const same = (a: unknown, b: unknown) => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);

/** The state keyed by name, so a diff names the parameter, rule or policy that changed. */
export const stateMap = (state: CatalogState): Record<string, unknown> => ({
  parameters: Object.fromEntries(state.parameters.map((p) => [p.name, p])),
  rules: Object.fromEntries(state.rules.map((r) => [r.name, r])),
  policies: state.policies,
});

/**
 * Every problem of a strategy's values under the catalog (a version's data, a run's merged values):
 * per parameter path, then per violated rule. The one validator: versions and runs both use it.
 */
export function configProblems(
  state: CatalogState,
  strategy: string,
  configData: unknown,
  options: CompileOptions = {},
): { field: string; message: string }[] {
  const byParameter = validateConfigData(
    state.parameters,
    strategy,
    effectivePolicy(state.parameters, strategy, state.policies[strategy]),
    configData,
    options,
  ).map((p) => ({
    field: `config_data.${formatPath(p.path)}`,
    message: p.message,
  }));
  if (byParameter.length > 0 || typeof configData !== "object" || configData === null) return byParameter;
  const rules = state.rules.filter((r) => appliesTo(r, strategy));
  return evaluateRules(rules, configData as Record<string, unknown>).map((v) => ({
    field: "config_data",
    message: `rule ${v.rule} violated: ${v.message}${v.detail ? ` (${v.detail})` : ""}`,
  }));
}

/** Problems of each active version under a catalog state, keyed by "strategy/environment/config_id". */
export async function activeVersionProblems(q: Queryable, state: CatalogState): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>();
  for (const v of await catalogStore(q).activeVersions()) {
    const found = configProblems(state, v.strategy_name, v.config_data);
    if (found.length > 0) {
      const where = (field: string) => field.replace(/^config_data\.?/, "") || "rules";
      problems.set(
        `${v.strategy_name}/${v.environment}/${v.config_id}`,
        found.map((p) => `${where(p.field)}: ${p.message}`),
      );
    }
  }
  return problems;
}
