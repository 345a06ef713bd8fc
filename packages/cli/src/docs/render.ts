/**
 * @module `tradai docs render`: the Markdown reference of the catalog and the values in force in
 * one environment. Pure (data in, Markdown out) and deterministic: groups, parameters, rules,
 * strategies and values are sorted, values are canonical JSON, and nothing depends on the clock,
 * so CI can render it and diff it against the committed copy.
 */
import {
  type CatalogParameter,
  type CatalogRule,
  canonicalJson,
  type JsonValue,
  type ResolvedConfig,
  valueAt,
} from "@tradai/core";
import { LAYER_NAMES } from "../output/explain.js";

/** One strategy with an active version in the environment, resolved or not. */
export interface StrategyValues {
  strategy: string;
  config_version_id: string;
  /** With provenance (explain); absent when resolving failed. */
  resolved?: ResolvedConfig | undefined;
  /** Why resolving failed. */
  error?: string | undefined;
}

export interface DocsInput {
  /** The environment's name, or undefined when the server's default could not be found out. */
  environment: string | undefined;
  catalogRevision: number;
  /** The environment base's revision (0: never set); undefined when unknown. */
  baseRevision?: number | undefined;
  parameters: readonly CatalogParameter[];
  rules: readonly CatalogRule[];
  /** Strategies with an active version in the environment. */
  active: readonly StrategyValues[];
  /** Strategies without one. */
  inactive: readonly string[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Text safe in a table cell: pipes escaped, line breaks as <br>. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

/** A code span that survives backticks in its content. */
function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${text}${fence.length > 1 ? " " : ""}${fence}`;
}

const json = (value: unknown) => code(canonicalJson(value as JsonValue));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map((c) => cell(c)).join(" | ")} |`),
  ].join("\n");
}

function bounds(p: CatalogParameter): string {
  if (p.allowed) return p.allowed.map((v) => json(v)).join(", ");
  const range =
    p.min !== undefined && p.max !== undefined
      ? `${p.min} … ${p.max}`
      : p.min !== undefined
        ? `≥ ${p.min}`
        : p.max !== undefined
          ? `≤ ${p.max}`
          : "";
  const step = p.step === undefined ? "" : `step ${p.step}`;
  return [range, step].filter(Boolean).join(", ") || "—";
}

function flags(p: CatalogParameter): string {
  const found = [
    p.required ? "required" : "",
    p.criticality === "critical" ? "critical" : "",
    p.reload === "restart" ? "" : p.reload === "between_trades" ? "between trades" : p.reload,
    p.immutable ? "immutable" : "",
    p.deprecated ? `deprecated${p.replacement ? ` → ${code(p.replacement)}` : ""}` : "",
  ].filter(Boolean);
  return found.join(", ") || "—";
}

function description(p: CatalogParameter): string {
  return p.deprecated && p.reason ? `${p.description} (deprecated: ${p.reason})` : p.description;
}

function parameterSection(parameters: readonly CatalogParameter[]): string[] {
  if (parameters.length === 0) return ["## Parameters", "", "The catalog is empty."];
  const groups = new Map<string, CatalogParameter[]>();
  for (const p of parameters) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  const out = ["## Parameters", "", `${parameters.length} parameter(s) in ${groups.size} group(s).`];
  for (const [group, members] of [...groups.entries()].sort(([a], [b]) => compare(a, b))) {
    const rows = [...members]
      .sort((a, b) => compare(a.name, b.name))
      .map((p) => [
        code(p.name),
        p.type,
        bounds(p),
        p.default === undefined ? "—" : json(p.default),
        p.unit ?? "—",
        flags(p),
        p.strategies.length === 0 ? "all" : [...p.strategies].sort().join(", "),
        description(p),
      ]);
    out.push(
      "",
      `### ${group}`,
      "",
      table(["Name", "Type", "Bounds / allowed", "Default", "Unit", "Flags", "Strategies", "Description"], rows),
    );
  }
  return out;
}

function ruleSection(rules: readonly CatalogRule[]): string[] {
  if (rules.length === 0) return ["## Coherence rules", "", "No coherence rules."];
  const rows = [...rules]
    .sort((a, b) => compare(a.name, b.name))
    .map((r) => [
      code(r.name),
      code(r.expression),
      r.message,
      r.strategies.length === 0 ? "all" : [...r.strategies].sort().join(", "),
    ]);
  return ["## Coherence rules", "", table(["Name", "Expression", "Message", "Strategies"], rows)];
}

function strategySection(s: StrategyValues): string[] {
  const head = `### ${s.strategy}`;
  if (!s.resolved)
    return [head, "", `Active version ${code(s.config_version_id)}; not resolved: ${s.error ?? "unknown error"}.`];
  const { resolved } = s;
  const rows = Object.entries(resolved.provenance ?? {})
    .sort(([a], [b]) => compare(a, b))
    .map(([path, origin]) => {
      const found = valueAt(resolved.values, path);
      return [
        code(path),
        found.found ? json(found.value) : "—",
        LAYER_NAMES[origin.layer] ?? origin.layer,
        origin.source,
      ];
    });
  return [
    head,
    "",
    `Active version ${code(resolved.config_version_id)}, resolved hash ${code(resolved.resolved_hash)}.`,
    "",
    rows.length === 0 ? "No values." : table(["Parameter", "Value", "Origin", "Source"], rows),
  ];
}

function valuesSection(input: DocsInput, env: string): string[] {
  const out = [`## Values in force in ${env}`];
  if (input.active.length === 0) out.push("", `No strategy has an active version in ${env}.`);
  for (const s of [...input.active].sort((a, b) => compare(a.strategy, b.strategy)))
    out.push("", ...strategySection(s));
  if (input.inactive.length > 0) {
    const names = [...input.inactive].sort(compare).map(code).join(", ");
    out.push("", `Without an active version in ${env}: ${names}.`);
  }
  return out;
}

/** The whole reference, ending with a newline. */
export function renderDocs(input: DocsInput): string {
  const env = input.environment ?? "the server's default environment";
  const base = input.baseRevision === undefined ? "" : `, environment base revision ${input.baseRevision}`;
  const lines = [
    `# TradAI parameter reference — ${env}`,
    "",
    "<!-- Generated by `tradai docs render`: do not edit. Change the catalog or the configs and render again. -->",
    "",
    `> Generated — do not edit. Catalog revision ${input.catalogRevision}${base}; ` +
      `values in force in ${env}. Render again with \`tradai docs render${input.environment ? ` --env ${input.environment}` : ""}\`.`,
    "",
    ...parameterSection(input.parameters),
    "",
    ...ruleSection(input.rules),
    "",
    ...valuesSection(input, env),
  ];
  return `${lines.join("\n")}\n`;
}
