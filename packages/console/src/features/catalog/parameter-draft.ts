/**
 * @module A catalog parameter as the form holds it (text for numbers, lists and JSON) and its
 * conversion to the definition the API takes. The form is validated by core's own
 * `catalogParameter` schema, the very one the server parses the body with: the draft is converted,
 * then parsed, and each issue is put on the field it names.
 */
import {
  type CatalogParameter,
  type CatalogParameterInput,
  catalogParameter,
  deprecatedValueKey,
  PARAMETER_TYPES,
  type ParameterType,
  type ReloadClass,
} from "@tradai/core";
import type { FieldErrors, Resolver } from "react-hook-form";

export interface ParameterDraft {
  name: string;
  type: ParameterType;
  description: string;
  group: string;
  unit: string;
  /** Comma-separated (numbers for int and number parameters). */
  allowed: string;
  min: string;
  max: string;
  step: string;
  /** Text; JSON for list and json parameters; "" for no default. */
  default: string;
  required: boolean;
  immutable: boolean;
  reload: ReloadClass;
  criticality: "normal" | "critical";
  deprecated: boolean;
  replacement: string;
  reason: string;
  /** Comma-separated values (a JSON array for list and json parameters). */
  variants: string;
  /** Comma-separated strategy names; empty: every strategy. */
  strategies: string;
  /** One per line, `VALUE -> REPLACEMENT: reason` (a JSON object for list and json parameters). */
  deprecated_values: string;
  /** `ignore`: runs differing only in this key still compare (relaxed). */
  comparability: "compare" | "ignore";
}

export type DraftField = keyof ParameterDraft;
export { PARAMETER_TYPES };

const NUMERIC = new Set<ParameterType>(["int", "number", "number_map"]);
const WITH_ALLOWED = new Set<ParameterType>(["enum", "string", "int", "number", "list"]);
const JSON_VALUED = new Set<ParameterType>(["list", "json", "number_map"]);

/** Which optional fields a type has (the others are hidden and not sent). */
export const fieldsOf = (type: ParameterType) => ({
  allowed: WITH_ALLOWED.has(type),
  bounds: NUMERIC.has(type),
  jsonValues: JSON_VALUED.has(type),
  variants: type !== "secret_ref",
});

export const EMPTY_DRAFT: ParameterDraft = {
  name: "",
  type: "number",
  description: "",
  group: "general",
  unit: "",
  allowed: "",
  min: "",
  max: "",
  step: "",
  default: "",
  required: false,
  immutable: false,
  reload: "restart",
  criticality: "normal",
  deprecated: false,
  replacement: "",
  reason: "",
  variants: "",
  strategies: "",
  deprecated_values: "",
  comparability: "compare",
};

const splitList = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** Decimal notation only: `Number()` alone would also read "0x10" as 16 and "" as 0. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number typed as text; a non-number is kept as text so that the schema names the problem. */
const numberOf = (text: string): number | string => {
  const n = Number(text.trim());
  return DECIMAL.test(text.trim()) && Number.isFinite(n) ? n : text;
};

/** One scalar value typed as text, read as the parameter's type. */
function scalarOf(type: ParameterType, text: string): unknown {
  if (NUMERIC.has(type)) return numberOf(text);
  if (type === "bool") return text === "true" ? true : text === "false" ? false : text;
  return text;
}

/** `VALUE -> REPLACEMENT: reason`: the reason starts after the first ": ". */
const DEPRECATED_LINE = /^(.+?)\s*->\s*(.+?):\s+(.+)$/;

/** The `deprecated_values` map of the form's text, or why it cannot be read. */
function deprecatedValuesOf(
  type: ParameterType,
  text: string,
): { map?: Record<string, { replacement: unknown; reason: string }>; problem?: string } {
  if (JSON_VALUED.has(type)) {
    try {
      const map: unknown = JSON.parse(text);
      if (map && typeof map === "object" && !Array.isArray(map)) return { map: map as never };
    } catch {
      // reported below
    }
    return { problem: 'must be a JSON object: {"<value as JSON>": {"replacement": …, "reason": "…"}}' };
  }
  const map: Record<string, { replacement: unknown; reason: string }> = {};
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const m = DEPRECATED_LINE.exec(line.trim());
    if (!m) return { problem: `line ${i + 1}: write VALUE -> REPLACEMENT: reason` };
    const [, value = "", replacement = "", reason = ""] = m;
    map[deprecatedValueKey(scalarOf(type, value))] = { replacement: scalarOf(type, replacement), reason };
  }
  return { map };
}

/** The form's text of a `deprecated_values` map. */
function deprecatedValuesText(p: CatalogParameter): string {
  const entries = Object.entries(p.deprecated_values ?? {});
  if (entries.length === 0) return "";
  if (JSON_VALUED.has(p.type)) return JSON.stringify(p.deprecated_values);
  return entries.map(([value, e]) => `${value} -> ${String(e.replacement)}: ${e.reason}`).join("\n");
}

/** The API definition of a draft, or the fields whose text cannot be read (bad JSON, a bound that is no number). */
export function draftToInput(draft: ParameterDraft): {
  input: CatalogParameterInput;
  problems: Partial<Record<DraftField, string>>;
} {
  const problems: Partial<Record<DraftField, string>> = {};
  const has = fieldsOf(draft.type);
  const json = (field: DraftField, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      problems[field] = "must be valid JSON";
      return undefined;
    }
  };
  const input: Record<string, unknown> = {
    name: draft.name.trim(),
    type: draft.type,
    description: draft.description.trim(),
    group: draft.group.trim() || "general",
    required: draft.required,
    immutable: draft.immutable,
    reload: draft.reload,
    criticality: draft.criticality,
    deprecated: draft.deprecated,
    strategies: splitList(draft.strategies),
  };
  if (draft.unit.trim()) input.unit = draft.unit.trim();
  if (draft.comparability === "ignore") input.comparability = "ignore";
  if (draft.deprecated_values.trim()) {
    const { map, problem } = deprecatedValuesOf(draft.type, draft.deprecated_values);
    if (problem) problems.deprecated_values = problem;
    else input.deprecated_values = map;
  }
  if (draft.deprecated && draft.replacement.trim()) input.replacement = draft.replacement.trim();
  if (draft.deprecated && draft.reason.trim()) input.reason = draft.reason.trim();
  if (has.allowed && draft.allowed.trim()) {
    input.allowed = splitList(draft.allowed).map((v) => (has.bounds ? numberOf(v) : v));
  }
  if (has.bounds) {
    for (const key of ["min", "max", "step"] as const) {
      const text = draft[key].trim();
      if (text === "") continue;
      const n = numberOf(text);
      if (typeof n !== "number") problems[key] = "must be a number";
      else input[key] = n;
    }
  }
  const defaultText = has.jsonValues ? draft.default.trim() : draft.default;
  if (defaultText !== "")
    input.default = has.jsonValues ? json("default", defaultText) : scalarOf(draft.type, defaultText);
  if (has.variants && draft.variants.trim()) {
    if (has.jsonValues) {
      const variants = json("variants", draft.variants.trim());
      if (variants !== undefined && !Array.isArray(variants)) problems.variants = "must be a JSON array of values";
      else input.variants = variants;
    } else input.variants = splitList(draft.variants).map((v) => scalarOf(draft.type, v));
  }
  return { input: input as CatalogParameterInput, problems };
}

/** The draft of an existing definition (to edit it). */
export function draftOf(p: CatalogParameter): ParameterDraft {
  const has = fieldsOf(p.type);
  const text = (v: unknown) => (v === undefined ? "" : has.jsonValues ? JSON.stringify(v) : String(v));
  return {
    name: p.name,
    type: p.type,
    description: p.description,
    group: p.group,
    unit: p.unit ?? "",
    allowed: p.allowed?.join(", ") ?? "",
    min: p.min === undefined ? "" : String(p.min),
    max: p.max === undefined ? "" : String(p.max),
    step: p.step === undefined ? "" : String(p.step),
    default: text(p.default),
    required: p.required,
    immutable: p.immutable,
    reload: p.reload,
    criticality: p.criticality,
    deprecated: p.deprecated,
    replacement: p.replacement ?? "",
    reason: p.reason ?? "",
    variants: p.variants === undefined ? "" : has.jsonValues ? JSON.stringify(p.variants) : p.variants.join(", "),
    strategies: p.strategies.join(", "),
    deprecated_values: deprecatedValuesText(p),
    comparability: p.comparability ?? "compare",
  };
}

/** The draft field an API field path names (`variants.1` -> variants), if the form has it. */
export function draftFieldOf(path: string): DraftField | undefined {
  const head = path.split(".")[0] as DraftField;
  return head in EMPTY_DRAFT ? head : undefined;
}

/** Validates a draft with core's `catalogParameter` (what the server does with the body). */
export const parameterResolver: Resolver<ParameterDraft> = async (draft) => {
  const { input, problems } = draftToInput(draft);
  const errors: FieldErrors<ParameterDraft> = {};
  for (const [field, message] of Object.entries(problems)) {
    errors[field as DraftField] = { type: "format", message };
  }
  const result = catalogParameter.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = draftFieldOf(issue.path.map(String).join(".")) ?? "name";
      const where = issue.path.length > 1 ? `item ${Number(issue.path[1]) + 1}: ` : "";
      errors[field] ??= { type: issue.code, message: `${where}${issue.message}` };
    }
  }
  return Object.keys(errors).length > 0 ? { values: {}, errors } : { values: draft, errors: {} };
};
