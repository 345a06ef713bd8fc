/**
 * @module The catalog as a file (`catalog export` writes it, `catalog import` reads it):
 * `{ parameters: [...], rules: [...], policies: {strategy: policy} }`, sorted by name, each
 * definition without the fields that only repeat the schema's defaults. Reading checks every
 * entry with core's schemas, so a bad file is refused before anything is sent.
 */
import { readFileSync } from "node:fs";
import {
  type CatalogParameter,
  type CatalogPolicy,
  type CatalogRule,
  canonicalJson,
  catalogParameter,
  catalogPolicy,
  catalogRule,
  formatPath,
  type JsonValue,
  parseStrictJson,
  StrictJsonError,
  strategyName,
} from "@tradai/core";
import { parseDocument, stringify } from "yaml";
import { UsageError } from "../usage-error.js";

export interface CatalogDocument {
  parameters: CatalogParameter[];
  rules: CatalogRule[];
  policies: Record<string, CatalogPolicy>;
}

export const sameValue = (a: unknown, b: unknown) => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The fields in the schema's order, leaving out those equal to what the schema would fill in. */
function withoutDefaults<T extends object>(value: T, defaults: object): Partial<T> {
  const entries = Object.entries(value).filter(
    ([key, v]) => v !== undefined && !(key in defaults && sameValue(v, (defaults as Record<string, unknown>)[key])),
  );
  return Object.fromEntries(entries) as Partial<T>;
}

const FIELD_ORDER = Object.keys(catalogParameter.shape);
const ordered = <T extends object>(value: T, order: readonly string[]): T => {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => rank(a) - rank(b))) as T;
};

/** What the schema fills in when a definition leaves a field out (group, required, reload, ...). */
const {
  name: _n,
  type: _t,
  description: _d,
  ...PARAMETER_DEFAULTS
} = catalogParameter.parse({
  name: "x",
  type: "string",
  description: "x",
});

function exportParameter(p: CatalogParameter): Partial<CatalogParameter> {
  return ordered(withoutDefaults(p, PARAMETER_DEFAULTS), FIELD_ORDER);
}

function exportRule(r: CatalogRule): Partial<CatalogRule> {
  return ordered(withoutDefaults(r, { strategies: [] }), ["name", "expression", "message", "strategies"]);
}

/** The export document: everything sorted by name. */
export function catalogDocument(state: CatalogDocument) {
  const policies = Object.keys(state.policies).sort();
  return {
    parameters: [...state.parameters].sort(byName).map(exportParameter),
    rules: [...state.rules].sort(byName).map(exportRule),
    policies: Object.fromEntries(policies.map((s) => [s, state.policies[s]])),
  };
}

export function renderDocument(document: object, format: "yaml" | "json"): string {
  return format === "json" ? `${JSON.stringify(document, null, 2)}\n` : stringify(document, { lineWidth: 0 });
}

export const formatFor = (file: string | undefined, json: boolean): "yaml" | "json" =>
  file !== undefined ? (/\.json$/i.test(file) ? "json" : "yaml") : json ? "json" : "yaml";

function parseText(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return parseStrictJson(text);
    } catch (error) {
      if (error instanceof StrictJsonError) throw new UsageError(`${file} cannot be used: ${error.message}`);
      throw error;
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0)
    throw new UsageError(`${file} is not valid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
  return doc.toJS();
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A Zod schema, as far as reading a file needs one (the CLI does not depend on zod itself). */
interface Schema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** Each issue as `field: message` (the field path inside the entry). */
const issues = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((i) => `${formatPath(i.path as (string | number)[]) || "(entry)"}: ${i.message}`);

/** Reads and checks a catalog file; any problem is a UsageError naming the entry and field. */
export function readCatalogFile(file: string): CatalogDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const raw = parseText(text, file);
  if (!isRecord(raw)) throw new UsageError(`${file} must hold a mapping with parameters, rules and policies`);
  const problems: string[] = [];
  const unknown = Object.keys(raw).filter((k) => !["parameters", "rules", "policies"].includes(k));
  if (unknown.length > 0)
    problems.push(`unknown top-level key(s) ${unknown.join(", ")} (expected parameters, rules, policies)`);

  const list = (key: "parameters" | "rules"): unknown[] => {
    const value = raw[key] ?? [];
    if (Array.isArray(value)) return value;
    problems.push(`${key}: must be a list`);
    return [];
  };
  const entryName = (entry: unknown) => (isRecord(entry) && typeof entry.name === "string" ? ` (${entry.name})` : "");
  const checkAll = <T extends { name: string }>(key: "parameters" | "rules", schema: Schema<T>): T[] => {
    const seen = new Set<string>();
    const out: T[] = [];
    list(key).forEach((entry, i) => {
      const result = schema.safeParse(entry);
      if (!result.success) {
        for (const issue of issues(result.error)) problems.push(`${key}[${i}]${entryName(entry)}: ${issue}`);
        return;
      }
      if (seen.has(result.data.name)) problems.push(`${key}[${i}] (${result.data.name}): name: duplicate name`);
      seen.add(result.data.name);
      out.push(result.data);
    });
    return out;
  };
  const parameters = checkAll("parameters", catalogParameter);
  const rules = checkAll("rules", catalogRule);

  const policies: Record<string, CatalogPolicy> = {};
  const rawPolicies = raw.policies ?? {};
  if (!isRecord(rawPolicies)) problems.push("policies: must be a mapping of strategy to open or strict");
  else {
    for (const [strategy, policy] of Object.entries(rawPolicies)) {
      const result = catalogPolicy.safeParse(policy);
      if (!strategyName.safeParse(strategy).success) problems.push(`policies.${strategy}: not a valid strategy name`);
      else if (result.success) policies[strategy] = result.data;
      else problems.push(`policies.${strategy}: must be open or strict`);
    }
  }
  if (problems.length > 0) {
    throw new UsageError(`${file} is not a valid catalog (nothing was sent):\n  - ${problems.join("\n  - ")}`);
  }
  return { parameters, rules, policies };
}
