/**
 * @module `catalog set` flags turned into a parameter definition: the existing definition (when
 * there is one) with only the given flags replaced, checked with core's schema before sending.
 */
import {
  type CatalogParameter,
  type CatalogParameterInput,
  catalogParameter,
  formatPath,
  PARAMETER_TYPES,
  type ParameterType,
  type ReloadClass,
} from "@tradai/core";
import { UsageError } from "../usage-error.js";

export interface SetOptions {
  type?: string;
  description?: string;
  group?: string;
  unit?: string;
  min?: string;
  max?: string;
  step?: string;
  allowed?: string;
  default?: string;
  required?: boolean;
  reload?: ReloadClass;
  criticality?: "normal" | "critical";
  comparability?: "compare" | "ignore";
  immutable?: boolean;
  variants?: string;
  deprecatedValues?: string;
  strategies?: string;
}

const NUMERIC = new Set<string>(["int", "number"]);
const TEXT = new Set<string>(["string", "duration", "secret_ref"]);

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, not "${text}"`);
  return value;
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** JSON when it parses (`0.5`, `true`, `["a"]`), the text itself otherwise; text types keep the text. */
function defaultValue(text: string, type: string, allowed: readonly unknown[] | undefined): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (TEXT.has(type) && typeof parsed !== "string") return text;
  if (type === "enum" && allowed?.includes(text)) return text;
  return parsed;
}

function jsonArray(flag: string, text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new UsageError(`--${flag} must be a JSON array, e.g. '[0.01, 0.02]'`);
}

function jsonObject(flag: string, text: string, example: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError(`--${flag} must be a JSON object, e.g. '${example}'`);
}

/** The definition to send: `existing` (if any) with the given flags replaced. */
export function definitionFrom(name: string, opts: SetOptions, existing?: CatalogParameter): CatalogParameterInput {
  const type = opts.type ?? existing?.type;
  const description = opts.description ?? existing?.description;
  if (type === undefined || description === undefined) {
    throw new UsageError(`${name} is not in the catalog yet: give at least --type and --description to create it`);
  }
  if (!(PARAMETER_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`--type must be one of ${PARAMETER_TYPES.join(", ")}`);
  }
  const next: Record<string, unknown> = { ...existing, name, type: type as ParameterType, description };
  if (opts.group !== undefined) next.group = opts.group;
  if (opts.unit !== undefined) next.unit = opts.unit;
  if (opts.min !== undefined) next.min = number("min", opts.min);
  if (opts.max !== undefined) next.max = number("max", opts.max);
  if (opts.step !== undefined) next.step = number("step", opts.step);
  if (opts.allowed !== undefined) {
    next.allowed = list(opts.allowed).map((v) => (NUMERIC.has(type) ? number("allowed", v) : v));
  }
  if (opts.default !== undefined) next.default = defaultValue(opts.default, type, next.allowed as unknown[]);
  if (opts.required !== undefined) next.required = opts.required;
  if (opts.reload !== undefined) next.reload = opts.reload;
  if (opts.criticality !== undefined) next.criticality = opts.criticality;
  if (opts.comparability !== undefined) next.comparability = opts.comparability;
  if (opts.immutable !== undefined) next.immutable = opts.immutable;
  if (opts.variants !== undefined) next.variants = jsonArray("variants", opts.variants);
  if (opts.deprecatedValues !== undefined) {
    const map = jsonObject(
      "deprecated-values",
      opts.deprecatedValues,
      '{"ATR1.5_3.0_H5": {"replacement": "ATR0.5_1.5_H4", "reason": "incident #673"}}',
    );
    // {} takes every deprecated value back.
    if (Object.keys(map).length === 0) delete next.deprecated_values;
    else next.deprecated_values = map;
  }
  if (opts.strategies !== undefined) next.strategies = list(opts.strategies);

  const result = catalogParameter.safeParse(next);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `${formatPath(i.path as (string | number)[]) || name}: ${i.message}`,
    );
    throw new UsageError(`${name} would not be a valid parameter (nothing was sent):\n  - ${problems.join("\n  - ")}`);
  }
  return result.data;
}
