/**
 * @module The catalog compiled to a Zod schema for one strategy's `config_data`: each parameter
 * that applies checks its value (nested by its dotted name), a deprecated one is refused naming its
 * replacement, and under the `strict` policy unknown keys are refused. Required parameters are not
 * checked here: a value may come from another layer (defaults, environment base).
 */
import { z } from "zod";
import { appliesTo, type CatalogParameter } from "./parameter.js";
import { valueSchema } from "./value-schema.js";

export type CatalogPolicy = "open" | "strict";

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

function objectSchema(node: Node, policy: CatalogPolicy): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, child] of node.children) {
    const schema = child.leaf
      ? child.leaf.deprecated
        ? deprecatedSchema(child.leaf)
        : valueSchema(child.leaf)
      : objectSchema(child, policy);
    shape[key] = schema.optional();
  }
  const object = z.object(shape, { error: "must be an object" });
  return policy === "strict" ? object.strict() : object.catchall(z.unknown());
}

/** A Zod schema validating `config_data` of `strategy` against the parameters that apply to it. */
export function compileCatalog(
  parameters: readonly CatalogParameter[],
  strategy: string,
  policy: CatalogPolicy = "open",
): z.ZodType {
  return objectSchema(tree(parameters.filter((p) => appliesTo(p, strategy))), policy);
}

/** Validation problems of `configData`, one per offending path (`risk.stoploss`, `pairs[2]`). */
export function validateConfigData(
  parameters: readonly CatalogParameter[],
  strategy: string,
  policy: CatalogPolicy,
  configData: unknown,
): { path: (string | number)[]; message: string }[] {
  const result = compileCatalog(parameters, strategy, policy).safeParse(configData);
  if (result.success) return [];
  const problems = result.error.issues.flatMap((issue) => {
    const keys = (issue as { keys?: string[] }).keys;
    if (issue.code === "unrecognized_keys" && keys) {
      return keys.map((key) => ({
        path: [...issue.path.map((p) => p as string | number), key],
        message: `unknown parameter: ${strategy}'s catalog policy is strict`,
      }));
    }
    return [{ path: issue.path.map((p) => p as string | number), message: issue.message }];
  });
  const key = (p: { path: (string | number)[] }) => p.path.join(".");
  return problems.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
