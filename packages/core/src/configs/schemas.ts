/**
 * @module Shapes of the config-version API, shared by server (validation, OpenAPI), client and
 * console. Field names follow the seed API (`strategy_name`, `config_data`, `config_id`, ...).
 */
import { z } from "zod";
import { MAX_JSON_DEPTH } from "../canonical/strict-json.js";
import { CONFIG_ID_PATTERN } from "./config-id.js";

export const STRATEGY_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

export const strategyName = z
  .string()
  .regex(STRATEGY_NAME_PATTERN, "must start with a letter, then up to 127 letters, digits, '_', '.' or '-'");

export const environmentName = z
  .string()
  .regex(ENVIRONMENT_NAME_PATTERN, "must be lower-case letters, digits or '-', starting with a letter");

export const configId = z.string().regex(CONFIG_ID_PATTERN, "must look like v{N}-{8 hex digits}, e.g. v1-a3b2c1d4");

function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}

/** A JSON object; nesting (the object itself counting as one level) at most 32 deep. */
export const configData = z
  .record(z.string(), z.unknown(), {
    // Missing: the platform's words ("is required and must be an object").
    error: (issue) => (issue.input === undefined ? undefined : "must be a JSON object"),
  })
  .refine((value) => depthOf(value) <= MAX_JSON_DEPTH, `nesting deeper than ${MAX_JSON_DEPTH} levels`);

export const createConfigBody = z.strictObject({
  strategy_name: strategyName,
  config_data: configData,
  description: z.string().max(2000).optional(),
});
export type CreateConfigBody = z.infer<typeof createConfigBody>;

export const versionStatus = z.enum(["draft", "active", "deprecated"]);
export type VersionStatus = z.infer<typeof versionStatus>;

/** A config version as seen from one environment (status, deployed_at, ... are per environment). */
export const configVersion = z.object({
  strategy_name: z.string(),
  config_id: z.string(),
  config_hash: z.string(),
  version_number: z.number().int(),
  config_data: z.record(z.string(), z.unknown()),
  description: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  environment: z.string(),
  status: versionStatus,
  deployed_at: z.string().nullable().describe("when it last became active in this environment"),
  deprecated_at: z.string().nullable().describe("when it was superseded in this environment or explicitly deprecated"),
  superseded_by: z.string().nullable().describe("config_id of the version that replaced it in this environment"),
  explicitly_deprecated: z.boolean().describe("deprecated by request: terminal in every environment"),
  purge_after: z.string().nullable().describe("when an explicitly deprecated, unreferenced version will be purged"),
  catalog_revision: z
    .number()
    .int()
    .nullable()
    .describe("the catalog revision it was validated against (null: empty catalog)"),
  imported: z
    .object({
      imported_from: z.string(),
      legacy_author: z.string().nullable(),
      legacy_time: z.string().nullable(),
      legacy_comment: z.string().nullable(),
    })
    .nullable()
    .describe("made by an import from the legacy configuration: where from, its original author, time and comment"),
});
export type ConfigVersion = z.infer<typeof configVersion>;

export const createConfigResponse = configVersion.extend({
  deduplicated: z.boolean().describe("true when identical content already existed and that version is returned"),
});
export type CreateConfigResponse = z.infer<typeof createConfigResponse>;

export const environmentQuery = z.object({ environment: environmentName.optional() });

export const listConfigsQuery = z.object({
  environment: environmentName.optional(),
  status: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(versionStatus)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const configVersionList = z.object({
  strategy_name: z.string(),
  environment: z.string(),
  items: z.array(configVersion),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_offset: z.number().int().nullable(),
});
export type ConfigVersionList = z.infer<typeof configVersionList>;

export const strategySummary = z.object({
  strategy_name: z.string(),
  version_count: z.number().int(),
  latest_config_id: z.string(),
  active: z.record(z.string(), z.string().nullable()).describe("environment -> active config_id (null when none)"),
});
export const strategyList = z.object({ environments: z.array(z.string()), items: z.array(strategySummary) });
export type StrategyList = z.infer<typeof strategyList>;

export const deprecateBody = z.strictObject({ reason: z.string().max(2000).optional() }).nullish();

export const configPathParams = z.object({ strategy: strategyName, config_id: configId });
export const strategyPathParams = z.object({ strategy: strategyName });

export const activateConfigResponse = configVersion.extend({
  changed: z.boolean().describe("false when the version was already active there"),
  previous_config_id: z.string().nullable().describe("the version it superseded in this environment"),
});
export type ActivateConfigResponse = z.infer<typeof activateConfigResponse>;

export const deprecateConfigResponse = configVersion.extend({
  changed: z.boolean().describe("false when the version was already explicitly deprecated"),
});
export type DeprecateConfigResponse = z.infer<typeof deprecateConfigResponse>;

export const healthResponse = z.object({
  status: z.enum(["ok", "unavailable"]),
  version: z.string(),
  database: z.object({ kind: z.enum(["pglite", "postgres"]), reachable: z.boolean(), latency_ms: z.number() }),
});
export type HealthResponse = z.infer<typeof healthResponse>;

/** Liveness: the process runs and answers (restart it only when this fails). */
export const livenessResponse = z.object({
  status: z.literal("alive"),
  version: z.string(),
  uptime_seconds: z.number(),
});

const readinessCheck = z.object({ ok: z.boolean(), detail: z.string() });
/** Readiness: whether this replica should get traffic now (its dependencies answer, it is not shutting down). */
export const readinessResponse = z.object({
  status: z.enum(["ready", "not_ready"]),
  version: z.string(),
  checks: z.object({
    database: readinessCheck,
    change_feed: readinessCheck,
    artifact_store: readinessCheck.optional().describe("where an S3 store is configured"),
    shutting_down: readinessCheck,
  }),
});
export type ReadinessResponse = z.infer<typeof readinessResponse>;
