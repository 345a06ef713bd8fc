/** @module Shapes of the catalog API. */
import { z } from "zod";
import { strategyName } from "../configs/schemas.js";
import { catalogParameter, PARAMETER_TYPES, parameterName } from "./parameter.js";

export const catalogPolicy = z.enum(["open", "strict"]);

export const catalogEntry = z.object({
  parameter: z.record(z.string(), z.unknown()).describe("the definition"),
  created_revision: z.number().int(),
  updated_revision: z.number().int(),
});

export const catalogList = z.object({
  revision: z.number().int().describe("the catalog's current revision (0: empty)"),
  items: z.array(catalogEntry),
  policies: z.record(z.string(), catalogPolicy).describe("strategies with a policy; others are open"),
});
export type CatalogList = z.infer<typeof catalogList>;

export const catalogListQuery = z.object({
  group: z.string().optional(),
  strategy: strategyName.optional().describe("parameters that apply to this strategy"),
  type: z.enum(PARAMETER_TYPES).optional(),
  deprecated: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  q: z.string().max(200).optional().describe("text in the name or description"),
});

export const catalogChangeQuery = z.object({
  force_reason: z
    .string()
    .min(3)
    .max(2000)
    .optional()
    .describe("apply even though active versions would become invalid, recording why"),
  freeze_override_reason: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe("act in a frozen environment (needs freezes.override): the change alters what it resolves"),
});

export const catalogChangeResponse = z.object({
  revision: z.number().int(),
  parameter: z.record(z.string(), z.unknown()).optional(),
  changed: z.boolean(),
});
export type CatalogChangeResponse = z.infer<typeof catalogChangeResponse>;

export const deprecateParameterBody = z.strictObject({
  replacement: parameterName.optional(),
  reason: z.string().min(1, "say why").max(2000),
});

export const parameterPathParams = z.object({ name: parameterName });
export const policyPathParams = z.object({ strategy: strategyName });
export const policyBody = z.strictObject({ policy: catalogPolicy });

export const catalogRevision = z.object({
  revision: z.number().int(),
  created_at: z.string(),
  created_by: z.string(),
  summary: z.string(),
  forced_reason: z.string().nullable(),
});
export const catalogRevisionList = z.object({ items: z.array(catalogRevision) });

export const revisionDiffParams = z.object({ a: z.coerce.number().int().min(0), b: z.coerce.number().int().min(0) });
export const catalogRevisionDiff = z.object({
  a: z.number().int(),
  b: z.number().int(),
  added: z.record(z.string(), z.unknown()),
  removed: z.record(z.string(), z.unknown()),
  changed: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
});
export type CatalogRevisionDiff = z.infer<typeof catalogRevisionDiff>;

export { catalogParameter as catalogParameterBody };

/** A cross-parameter coherence rule (CEL), e.g. `take_profit > -stoploss`. */
export const catalogRule = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be lower-case letters, digits and '_', starting with a letter"),
  expression: z.string().min(1, "must not be empty").max(2000),
  message: z.string().min(1, "must say what is wrong when the rule is violated").max(500),
  strategies: z.array(strategyName).default([]).describe("empty: applies to every strategy"),
});
export type CatalogRule = z.output<typeof catalogRule>;
export const rulePathParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a rule name") });
export const catalogRuleList = z.object({ revision: z.number().int(), items: z.array(catalogRule) });

export const gridQuery = z.object({
  parameters: z
    .string()
    .min(1)
    .transform((s) => s.split(",").map((p) => p.trim()))
    .pipe(z.array(parameterName).min(1)),
  strategy: strategyName.optional(),
});
export const variantGrid = z.object({
  revision: z.number().int(),
  parameters: z.array(z.string()),
  size: z.number().int(),
  combinations: z.array(z.record(z.string(), z.unknown())),
});
export type VariantGrid = z.infer<typeof variantGrid>;
