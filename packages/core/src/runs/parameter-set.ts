/**
 * @module Parameter sets: the immutable, content-hashed snapshot of everything a run used,
 * frozen when the run is submitted. Its hash is `contentHash(parameterSet)` (canonical JSON +
 * SHA-256), the same function as config versions, so any language can recompute it.
 */
import { z } from "zod";

export const PARAMETER_SET_SCHEMA = "tradai.parameter-set/1";

/** Which layer gave a value (by dotted path): lowest first, the run's own request last. */
export const provenanceLayer = z.enum(["catalog_default", "environment_base", "config_version", "request"]);
export type ProvenanceLayer = z.infer<typeof provenanceLayer>;

export const parameterSet = z.object({
  schema: z.literal(PARAMETER_SET_SCHEMA),
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
