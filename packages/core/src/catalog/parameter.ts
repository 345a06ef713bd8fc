/**
 * @module Catalog parameters: what a parameter is (type, bounds or allowed values, default,
 * metadata) and the checks that keep a definition coherent (min <= max, a default within its own
 * rules, an enum with values, ...).
 */
import { z } from "zod";
import { strategyName } from "../configs/schemas.js";
import { RELOAD_CLASSES } from "../distribution/changes.js";
import { valueSchema } from "./value-schema.js";

export const PARAMETER_TYPES = [
  "bool",
  "int",
  "number",
  "string",
  "enum",
  "duration",
  "list",
  "json",
  "secret_ref",
  "number_map",
] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** Dotted lower-case path: `stoploss`, `risk.stoploss`, `features.rsi.period`. */
export const PARAMETER_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,7}$/;

export const parameterName = z
  .string()
  .regex(PARAMETER_NAME_PATTERN, "must be a dotted lower-case path such as risk.stoploss (letters, digits, '_')");

/** Types whose bounds (min, max, step) apply: to the value, or to each value of a number_map. */
const NUMERIC: ReadonlySet<ParameterType> = new Set(["int", "number", "number_map"]);
const WITH_ALLOWED: ReadonlySet<ParameterType> = new Set(["enum", "string", "int", "number", "list"]);

const baseParameter = z.strictObject({
  name: parameterName,
  type: z.enum(PARAMETER_TYPES, { error: `must be one of ${PARAMETER_TYPES.join(", ")}` }),
  description: z.string().min(1, "must say what the parameter does").max(2000),
  group: z.string().min(1).max(100).default("general"),
  unit: z.string().max(40).optional(),
  allowed: z.array(z.union([z.string(), z.number()])).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive("must be positive").optional(),
  default: z.unknown().optional(),
  required: z.boolean().default(false),
  deprecated: z.boolean().default(false),
  replacement: parameterName.optional(),
  reason: z.string().max(2000).optional(),
  reload: z.enum(RELOAD_CLASSES, { error: `must be one of ${RELOAD_CLASSES.join(", ")}` }).default("restart"),
  criticality: z.enum(["normal", "critical"]).default("normal"),
  immutable: z.boolean().default(false),
  variants: z.array(z.unknown()).optional(),
  strategies: z.array(strategyName).default([]),
  /**
   * Values that must no longer be used, each with what to use instead and why: `{"ATR1.5_3.0_H5":
   * {"replacement": "ATR0.5_1.5_H4", "reason": "incident #673"}}`. Keyed by the value itself for
   * strings, by its JSON text otherwise (`"1.5"`, `"true"`).
   */
  deprecated_values: z
    .record(z.string(), z.strictObject({ replacement: z.unknown(), reason: z.string().min(1).max(2000) }))
    .optional(),
  /** `ignore`: runs that differ only in this key still compare (relaxed), e.g. stake_amount. */
  comparability: z.enum(["compare", "ignore"]).optional(),
});

/** The key a value has in `deprecated_values`: a string itself, anything else its JSON text. */
export const deprecatedValueKey = (value: unknown): string =>
  typeof value === "string" ? value : JSON.stringify(value);

/** What to use instead of `value`, when the parameter deprecates it. */
export function deprecatedValue(
  p: Pick<CatalogParameter, "deprecated_values">,
  value: unknown,
): { replacement: unknown; reason: string } | undefined {
  const entry = p.deprecated_values?.[deprecatedValueKey(value)];
  return entry && { replacement: entry.replacement, reason: entry.reason };
}

/** A parameter definition, checked for coherence. */
export const catalogParameter = baseParameter.superRefine((p, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (p.type === "enum" && (p.allowed?.length ?? 0) === 0)
    issue(["allowed"], "an enum needs at least one allowed value");
  if (p.allowed && !WITH_ALLOWED.has(p.type)) issue(["allowed"], `a ${p.type} parameter cannot have allowed values`);
  if (p.allowed && new Set(p.allowed).size !== p.allowed.length) issue(["allowed"], "allowed values must be unique");
  for (const key of ["min", "max", "step"] as const) {
    if (p[key] !== undefined && !NUMERIC.has(p.type))
      issue([key], `only int, number and number_map parameters have ${key}`);
  }
  if (p.min !== undefined && p.max !== undefined && p.min > p.max)
    issue(["min"], `min (${p.min}) is greater than max (${p.max})`);
  if (p.replacement !== undefined && p.replacement === p.name)
    issue(["replacement"], "a parameter cannot replace itself");
  if (p.replacement !== undefined && !p.deprecated)
    issue(["replacement"], "only a deprecated parameter has a replacement");
  if (ctx.issues.length > 0) return; // the value rules below need a coherent definition
  const schema = valueSchema(p);
  const check = (value: unknown, path: (string | number)[]) => {
    const result = schema.safeParse(value);
    if (!result.success) issue(path, result.error.issues[0]?.message ?? "invalid");
  };
  if (p.default !== undefined) check(p.default, ["default"]);
  for (const [i, v] of (p.variants ?? []).entries()) check(v, ["variants", i]);
  for (const [value, { replacement }] of Object.entries(p.deprecated_values ?? {})) {
    check(replacement, ["deprecated_values", value, "replacement"]);
    if (p.deprecated_values?.[deprecatedValueKey(replacement)])
      issue(["deprecated_values", value, "replacement"], `${JSON.stringify(replacement)} is deprecated itself`);
  }
  if (p.default !== undefined && p.deprecated_values?.[deprecatedValueKey(p.default)])
    issue(["default"], `the default ${JSON.stringify(p.default)} is a deprecated value`);
});

export type CatalogParameterInput = z.input<typeof catalogParameter>;
export type CatalogParameter = z.output<typeof catalogParameter>;

/** Does the parameter apply to this strategy? (no strategies listed: it applies to all) */
export const appliesTo = (p: Pick<CatalogParameter, "strategies">, strategy: string) =>
  p.strategies.length === 0 || p.strategies.includes(strategy);
