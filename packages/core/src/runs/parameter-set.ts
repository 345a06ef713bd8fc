/**
 * @module Parameter sets: the immutable, content-hashed snapshot of everything a run used,
 * frozen when the run is submitted. Its hash is `contentHash(parameterSet)` (canonical JSON +
 * SHA-256), the same function as config versions, so any language can recompute it.
 */
import { z } from "zod";

/** The schema of parameter sets made now; sets made under earlier schemas keep their hash and verify as they are. */
export const PARAMETER_SET_SCHEMA = "tradai.parameter-set/2";
export const PARAMETER_SET_SCHEMAS = ["tradai.parameter-set/1", PARAMETER_SET_SCHEMA] as const;

/**
 * Which layer gave a value (by dotted path): lowest first, the run's own request last. A session's
 * applied config adds four: `held_for_restart` (an older value the worker keeps until it
 * restarts), `held_between_trades` (an older value the worker keeps until it holds no open trade),
 * `held_shadow` (the value in use of a shadow parameter, whose new value the worker never applies)
 * and `reported` (a value as the worker reported it, from a config no change recorded).
 */
export const provenanceLayer = z.enum([
  "catalog_default",
  "environment_base",
  "config_version",
  "request",
  "held_for_restart",
  "held_between_trades",
  "held_shadow",
  "reported",
]);
export type ProvenanceLayer = z.infer<typeof provenanceLayer>;

/** What the catalog said of a parameter a run used, when it used it. */
export const usedParameter = z.object({
  type: z.string(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  allowed: z.array(z.union([z.string(), z.number()])).optional(),
  reload: z.string(),
  criticality: z.string(),
  deprecated: z.boolean(),
  deprecated_values: z.record(z.string(), z.object({ replacement: z.unknown(), reason: z.string() })).optional(),
  comparability: z.enum(["compare", "ignore"]).optional(),
});
export type UsedParameter = z.infer<typeof usedParameter>;

export const parameterSet = z.object({
  schema: z.enum(PARAMETER_SET_SCHEMAS),
  strategy: z.string(),
  /** The resolved parameters: what the worker must use, nothing else. */
  values: z.record(z.string(), z.unknown()),
  provenance: z.record(z.string(), provenanceLayer),
  /** Present only when the run was bound to a config version. */
  config_version_id: z.string().optional(),
  config_hash: z.string().optional(),
  /** Present only when the catalog had a revision / the environment had base values. */
  catalog_revision: z.number().int().optional(),
  environment_base: z.object({ environment: z.string(), revision: z.number().int() }).optional(),
  /** Schema 2: the catalog's word on each parameter used, by parameter name, as it was then. */
  catalog: z.record(z.string(), usedParameter).optional(),
  /** Schema 2: keys no catalog parameter describes (a strategy whose policy is open). */
  uncatalogued: z.array(z.string()).optional(),
  /** Schema 2: deprecated values used on purpose, and why. */
  deprecated_allowed: z.object({ keys: z.array(z.string()), reason: z.string() }).optional(),
  /** Schema 2: the code that ran: the task definition and its version, or the worker's as it reported it. */
  code: z
    .object({
      task_definition: z.string().optional(),
      version: z.string().optional().describe("git SHA, image digest or package version"),
    })
    .optional(),
  /** Schema 2: a sweep's point. */
  sweep: z.object({ id: z.string(), point: z.record(z.string(), z.unknown()) }).optional(),
  platform_version: z.string(),
  launcher: z.string(),
});
export type ParameterSet = z.infer<typeof parameterSet>;

/** The file a worker finds at PARAMETER_SET_PATH. */
export const parameterSetFile = z.object({ hash: z.string(), parameter_set: parameterSet });
export type ParameterSetFile = z.infer<typeof parameterSetFile>;

export const parameterSetResponse = z.object({
  hash: z.string(),
  parameter_set: parameterSet,
  created_at: z.string(),
  run_count: z.number().int(),
});
export type ParameterSetResponse = z.infer<typeof parameterSetResponse>;

export const parameterSetDiff = z.object({
  a: z.string(),
  b: z.string(),
  added: z.record(z.string(), z.unknown()),
  removed: z.record(z.string(), z.unknown()),
  changed: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
  /** provenance, version and platform differences, outside the values */
  context: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
});
export type ParameterSetDiff = z.infer<typeof parameterSetDiff>;

export const parameterSetHashParams = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
});
export const parameterSetDiffParams = z.object({
  a: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
  b: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
});
