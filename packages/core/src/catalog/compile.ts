/**
 * @module The catalog compiled to a Zod schema for one strategy's values (a config version's data,
 * or the merged values of a run): each parameter that applies checks its value (nested by its
 * dotted name); a deprecated parameter, or a deprecated value, is refused naming what to use
 * instead; and, where the strategy's policy is strict, unknown keys are refused with the closest
 * catalogued name. Required parameters are not checked here: a value may come from another layer.
 */
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { appliesTo, type CatalogParameter, deprecatedValue } from "./parameter.js";
import { valueSchema } from "./value-schema.js";

export type CatalogPolicy = "open" | "strict";

/**
 * Keys that describe a run rather than parameterise the strategy (the backtest settings and the
 * run's identity): never unknown, whatever the policy.
 */
export const RUN_KEYS: ReadonlySet<string> = new Set([
  "symbols",
  "timeframe",
  "start_date",
  "end_date",
  "stake_amount",
  "stake_currency",
  "exchange",
  "task_definition",
  "strategy",
  "config_version_id",
  "job_id",
  "experiment_name",
]);

/**
 * The policy in force for a strategy: the one set for it, else `strict` where the catalog
 * describes the strategy (a parameter names it in `strategies`) and `open` otherwise. Parameters
 * for every strategy do not make one described: adding such a parameter changes no one's policy.
 */
export function effectivePolicy(
  parameters: readonly CatalogParameter[],
  strategy: string,
  set: CatalogPolicy | undefined,
): CatalogPolicy {
  return set ?? (parameters.some((p) => p.strategies.includes(strategy)) ? "strict" : "open");
}

export interface CompileOptions {
  /** Parameters whose deprecated values are used on purpose (a run's `allow_deprecated`). */
  allowDeprecated?: ReadonlySet<string>;
}

interface Node {
  leaf?: CatalogParameter;
  children: Map<string, Node>;
}

function tree(parameters: readonly CatalogParameter[]): Node {
  const root: Node = { children: new Map() };
  for (const p of parameters) {
    let node = root;
    for (const part of p.name.split(".")) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.leaf = p;
  }
  return root;
}

function deprecatedSchema(p: CatalogParameter): z.ZodType {
  const use = p.replacement ? `; use ${p.replacement} instead` : "";
  const why = p.reason ? ` (${p.reason})` : "";
  return z.never({ error: `${p.name} is deprecated${use}${why}` });
}

/**
 * What one parameter's value must pass wherever it comes from (a version, base values, a run):
 * its type and bounds, and neither the parameter nor the value may be deprecated.
 */
export function parameterValueSchema(p: CatalogParameter, options: CompileOptions = {}): z.ZodType {
  return leafSchema(p, options);
}

function leafSchema(p: CatalogParameter, options: CompileOptions): z.ZodType {
  if (p.deprecated) return deprecatedSchema(p);
  const schema = valueSchema(p);
  if (!p.deprecated_values || options.allowDeprecated?.has(p.name)) return schema;
  return schema.superRefine((value, ctx) => {
    const entry = deprecatedValue(p, value);
    if (entry) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(value)} is a deprecated value of ${p.name}; use ${JSON.stringify(entry.replacement)} instead (${entry.reason})`,
      });
    }
  });
}

function objectSchema(node: Node, policy: CatalogPolicy, options: CompileOptions, top: boolean): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, child] of node.children) {
    const schema = child.leaf ? leafSchema(child.leaf, options) : objectSchema(child, policy, options, false);
    shape[key] = schema.optional();
  }
  if (top) for (const key of RUN_KEYS) shape[key] ??= z.unknown().optional();
  const object = z.object(shape, { error: "must be an object" });
  return policy === "strict" ? object.strict() : object.catchall(z.unknown());
}

/** A Zod schema validating the values of `strategy` against the parameters that apply to it. */
export function compileCatalog(
  parameters: readonly CatalogParameter[],
  strategy: string,
  policy: CatalogPolicy = "open",
  options: CompileOptions = {},
): z.ZodType {
  return objectSchema(tree(parameters.filter((p) => appliesTo(p, strategy))), policy, options, true);
}

/** The catalogued name closest to an unknown one, when it is close enough to be a typo. */
function suggestion(path: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const best = closest(path, names as string[]);
  return distance(path, best) <= Math.max(2, Math.floor(path.length / 4)) ? best : undefined;
}

/** Validation problems of `values`, one per offending path (`risk.stoploss`, `pairs[2]`). */
export function validateConfigData(
  parameters: readonly CatalogParameter[],
  strategy: string,
  policy: CatalogPolicy,
  values: unknown,
  options: CompileOptions = {},
): { path: (string | number)[]; message: string }[] {
  const result = compileCatalog(parameters, strategy, policy, options).safeParse(values);
  if (result.success) return [];
  const names = parameters.filter((p) => appliesTo(p, strategy) && !p.deprecated).map((p) => p.name);
  const problems = result.error.issues.flatMap((issue) => {
    const keys = (issue as { keys?: string[] }).keys;
    if (issue.code === "unrecognized_keys" && keys) {
      return keys.map((key) => {
        const path = [...issue.path.map((p) => p as string | number), key];
        const near = suggestion(path.join("."), names);
        return {
          path,
          message:
            `is an unknown parameter${near ? ` (did you mean ${near}?)` : ""}: ` +
            `${strategy}'s catalog does not describe it and its policy is strict`,
        };
      });
    }
    return [{ path: issue.path.map((p) => p as string | number), message: issue.message }];
  });
  const key = (p: { path: (string | number)[] }) => p.path.join(".");
  return problems.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * The leaf keys of `values` that no parameter of the catalog describes (run settings aside),
 * sorted: what an `open` policy lets through, marked on the run as uncatalogued.
 */
export function uncataloguedKeys(
  parameters: readonly CatalogParameter[],
  strategy: string,
  values: Record<string, unknown>,
): string[] {
  const names = parameters.filter((p) => appliesTo(p, strategy)).map((p) => p.name);
  const found: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const path = prefix + key;
      if (prefix === "" && RUN_KEYS.has(key)) continue;
      if (names.includes(path)) continue;
      const inner = names.some((n) => n.startsWith(`${path}.`));
      if (inner && typeof value === "object" && value !== null && !Array.isArray(value)) walk(value, `${path}.`);
      else found.push(path);
    }
  };
  walk(values, "");
  return found.sort();
}
