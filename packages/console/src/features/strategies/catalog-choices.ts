/**
 * @module The catalog policies a new strategy can follow: one per strategy the catalog describes
 * (a parameter names it) or holds a policy for, as the Catalog page lists them, and "open" for a
 * name the catalog does not know. The server validates a version by its strategy's name, so a
 * choice and the name go together: choosing a catalog strategy names the new strategy after it.
 */
import { appliesTo, type CatalogParameter, type CatalogPolicy, type CatalogRule, effectivePolicy } from "@tradai/core";
import type { StrategyCatalog } from "./catalog-query";

export interface CatalogChoice {
  strategy: string;
  policy: CatalogPolicy;
  /** Parameters that apply to it (its own and those for every strategy). */
  parameterCount: number;
}

export interface WholeCatalog {
  revision: number;
  parameters: CatalogParameter[];
  rules: CatalogRule[];
  policies: Record<string, CatalogPolicy>;
}

/** The catalog's strategies that have no config version yet, by name. */
export function catalogChoices(catalog: WholeCatalog, existing: ReadonlySet<string>): CatalogChoice[] {
  const named = new Set([...catalog.parameters.flatMap((p) => p.strategies), ...Object.keys(catalog.policies)]);
  return [...named]
    .filter((strategy) => !existing.has(strategy))
    .sort()
    .map((strategy) => ({
      strategy,
      policy: effectivePolicy(catalog.parameters, strategy, catalog.policies[strategy]),
      parameterCount: catalog.parameters.filter((p) => appliesTo(p, strategy)).length,
    }));
}

/** The catalog as it applies to `strategy`: what the server will check its first version against. */
export function catalogFor(catalog: WholeCatalog, strategy: string): StrategyCatalog {
  return {
    revision: catalog.revision,
    parameters: catalog.parameters.filter((p) => appliesTo(p, strategy)),
    rules: catalog.rules.filter((rule) => appliesTo(rule, strategy)),
    policy: effectivePolicy(catalog.parameters, strategy, catalog.policies[strategy]),
  };
}

/** Where a nested value goes: "risk.stoploss" -> { risk: { stoploss } }. */
function setAt(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = structuredClone(value);
}

/** A first version's starting values: each parameter's catalog default (deprecated ones left out). */
export function defaultValues(catalog: StrategyCatalog): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const p of catalog.parameters) if (!p.deprecated && p.default !== undefined) setAt(values, p.name, p.default);
  return values;
}
