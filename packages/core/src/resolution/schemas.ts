/** @module Shapes of the resolution and environment-base API. */
import { z } from "zod";
import { catalogWarning } from "../catalog/warnings.js";
import { environmentName, strategyName } from "../configs/schemas.js";
import { readerQuery } from "../distribution/labels.js";
import { resolutionLayer } from "./layers.js";

export const resolveQuery = z.object({
  environment: environmentName.optional(),
  explain: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  ...readerQuery,
});
export const resolvePathParams = z.object({ strategy: strategyName });

export const resolvedConfig = z.object({
  strategy: z.string(),
  environment: z.string(),
  config_version_id: z.string(),
  resolved_hash: z.string().describe("SHA-256 of the canonical resolved values"),
  values: z.record(z.string(), z.unknown()),
  provenance: z
    .record(z.string(), z.object({ layer: resolutionLayer, source: z.string() }))
    .optional()
    .describe("with explain=true: each value's layer and that layer's revision or version"),
  warnings: z
    .array(catalogWarning)
    .optional()
    .describe(
      "what the catalog warns of in these values (deprecated key or value, uncatalogued key): live workers refuse such a config",
    ),
});
export type ResolvedConfig = z.infer<typeof resolvedConfig>;

export const environmentBasePathParams = z.object({ environment: environmentName });
export const environmentBaseBody = z.strictObject({
  values: z.record(z.string(), z.unknown()),
  freeze_override_reason: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe("act in a frozen environment (needs freezes.override)"),
});
export const environmentBase = z.object({
  environment: z.string(),
  revision: z.number().int().describe("0: never set"),
  values: z.record(z.string(), z.unknown()),
  created_by: z.string().nullable(),
  created_at: z.string().nullable(),
});
export type EnvironmentBase = z.infer<typeof environmentBase>;
