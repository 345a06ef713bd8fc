/**
 * @module Shapes of imports from the legacy configuration (issue 17). The CLI reads a source (a
 * PostgreSQL URL, a file export) and sends its rows; the server plans what they become (versions
 * of one strategy, the newest active in one environment), answers the plan (a dry run, the default),
 * or applies it in one governed change, after checking nothing legacy is lost.
 */
import { z } from "zod";
import { configId, environmentName, strategyName } from "../configs/schemas.js";
import { LEGACY_VALUE_SOURCES } from "./reconcile.js";

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-04-24T10:00:00Z" });

/** One row of the legacy history: the whole config as it was, who changed it, when and why. */
export const legacyRow = z.strictObject({
  values: z.record(z.string(), z.unknown()),
  author: z.string().max(200).nullable().optional(),
  time: isoTime.nullable().optional(),
  comment: z.string().max(2000).nullable().optional(),
  /** the row's own id in the legacy table, when it has one */
  source_id: z.string().max(200).nullable().optional(),
});

/** One item of the legacy config-versions registry (DynamoDB `tradai-config-versions-{env}`), unmarshalled. */
export const legacyConfigVersion = z.strictObject({
  strategy_name: strategyName,
  config_id: z.string().min(1).max(200),
  config_hash: z.string().max(200).nullable().optional(),
  config_data: z.record(z.string(), z.unknown()),
  status: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(["DRAFT", "ACTIVE", "DEPRECATED"], { error: "must be DRAFT, ACTIVE or DEPRECATED" })),
  version_number: z.number().int().positive(),
  created_by: z.string().max(200).nullable().optional(),
  created_at: isoTime.nullable().optional(),
  deployed_at: isoTime.nullable().optional(),
  deprecated_at: isoTime.nullable().optional(),
  superseded_by: z.string().max(200).nullable().optional(),
  ttl: z.number().nullable().optional(),
});
export type LegacyConfigVersion = z.infer<typeof legacyConfigVersion>;

/** A strategy's YAML config as the legacy loader read it: `{prefix}{strategy}.yaml` in `tradai-configs-{env}`. */
export const legacyConfigFile = z.strictObject({
  strategy: strategyName,
  /** where it was read: s3://bucket/key, or a file path */
  path: z.string().min(1).max(1000),
  values: z.record(z.string(), z.unknown()),
});
export type LegacyConfigFile = z.infer<typeof legacyConfigFile>;

export const CONFIG_VERSION_SOURCES = ["registry", "file"] as const;

export const configVersionsImportBody = z
  .strictObject({
    environment: environmentName.optional().describe("the environment the registry and the bucket belong to"),
    source: z.string().min(1).max(500).describe("where the items and files were read from"),
    items: z.array(legacyConfigVersion).max(100_000).describe("the registry's items, any order"),
    files: z.array(legacyConfigFile).max(10_000).default([]).describe("the strategies' YAML configs"),
    prefer: z
      .enum(CONFIG_VERSION_SOURCES)
      .optional()
      .describe(
        "where a strategy's file and its ACTIVE item differ, which becomes active (default: file, which the legacy loader served)",
      ),
    apply: z.boolean().default(false).describe("false: answer the plans and write nothing"),
  })
  .refine((b) => b.items.length + b.files.length > 0, {
    message: "no registry item and no file: give the items, the files, or both",
    path: ["items"],
  });
export type ConfigVersionsImportBody = z.infer<typeof configVersionsImportBody>;

export const INCONSISTENCY_KINDS = [
  "hash_mismatch",
  "id_mismatch",
  "duplicate_id",
  "duplicate_content",
  "several_active",
  "superseded_missing",
  "superseded_not_deprecated",
  "superseded_cycle",
  "file_differs",
  "no_active",
] as const;

export const importInconsistency = z.object({
  kind: z.enum(INCONSISTENCY_KINDS),
  /** the legacy item it is about, if one */
  legacy_id: z.string().nullable(),
  message: z.string(),
});
export type ImportInconsistency = z.infer<typeof importInconsistency>;
export type LegacyRow = z.infer<typeof legacyRow>;

export const legacyDbImportBody = z.strictObject({
  strategy: strategyName.describe("the strategy the legacy configuration becomes (e.g. FTF)"),
  environment: environmentName.optional().describe("where the newest row becomes the active version"),
  source: z.string().min(1).max(500).describe("where the rows were read from (a URL without password, a file)"),
  history: z.array(legacyRow).max(100_000).describe("the history rows, oldest first"),
  current: legacyRow.nullable().optional().describe("the live row (ftf_config.base_env): the newest state"),
  apply: z.boolean().default(false).describe("false: answer the plan and write nothing"),
  /** The other two legacy sources of a value, reconciled with the live row key by key (see reconcile.ts). */
  baseline: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("config/ftf_baseline.json: the fallback file, compared with the live row"),
  pod_env: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("a pod's environment, as config keys (FTF_RISK__STOPLOSS is risk.stoploss), compared with the live row"),
  prefer: z
    .enum(LEGACY_VALUE_SOURCES)
    .optional()
    .describe("where the sources disagree, take this one (default: the old rules)"),
  choices: z
    .record(z.string(), z.enum(LEGACY_VALUE_SOURCES))
    .optional()
    .describe("per key, the source to take: before `prefer`"),
});
export type LegacyDbImportBody = z.infer<typeof legacyDbImportBody>;

export const importStep = z.object({
  /** the row's place: history rows from 1, the current row as "current" */
  row: z.union([z.number().int(), z.literal("current")]),
  action: z
    .enum(["create", "existing", "same_as_row"])
    .describe(
      "create: a new version; existing: a version with this content exists; same_as_row: an earlier row had it (a revert, or a repeat)",
    ),
  config_id: configId,
  of_row: z.union([z.number().int(), z.literal("current")]).nullable(),
  author: z.string().nullable(),
  time: z.string().nullable(),
  comment: z.string().nullable(),
  /** config-versions imports: the registry item's id (kept as config_id where consistent), its status, successor */
  legacy_id: z.string().nullable().optional(),
  legacy_status: z.string().nullable().optional(),
  superseded_by: z.string().nullable().optional().describe("the version (our id) the legacy registry says replaced it"),
});
export type ImportStep = z.infer<typeof importStep>;

export const importPlan = z.object({
  import_id: z.string().nullable().describe("set once applied"),
  kind: z.enum(["legacy-db", "config-versions"]),
  outcome: z.enum(["planned", "applied", "unchanged", "proposed"]),
  strategy: z.string(),
  environment: z.string(),
  source: z.string(),
  steps: z.array(importStep),
  versions_created: z.number().int(),
  activation: z.object({
    action: z.enum(["activate", "already_active", "none"]),
    config_id: z.string().nullable(),
    previous: z.string().nullable().describe("the version active there before"),
  }),
  superset: z
    .object({ rows: z.number().int(), keys: z.number().int() })
    .describe(
      "checked: every legacy row is a version with byte-equal content, every key of the newest is resolved equal",
    ),
  change_request_id: z.number().int().nullable(),
  inconsistencies: z
    .array(importInconsistency)
    .default([])
    .describe("what the legacy registry holds that does not add up: reported, and kept only where consistent"),
  disagreements: z
    .array(
      z.object({
        key: z.string(),
        db: z.unknown().optional(),
        file: z.unknown().optional(),
        env: z.unknown().optional(),
        served_by_old_rules: z.enum(LEGACY_VALUE_SOURCES),
        chosen: z.enum(LEGACY_VALUE_SOURCES),
        value: z.unknown().optional(),
      }),
    )
    .describe(
      "keys where the live row, the baseline file and the pod environment disagree: what each held, what the old rules served, what was chosen",
    ),
  summary: z.string(),
});
export type ImportPlan = z.infer<typeof importPlan>;

/** A config-versions import: one plan per strategy, applied together in one governed change. */
export const configVersionsImportResult = z.object({
  outcome: z.enum(["planned", "applied", "unchanged", "proposed"]),
  environment: z.string(),
  source: z.string(),
  plans: z.array(importPlan),
  change_request_id: z.number().int().nullable(),
  summary: z.string(),
});
export type ConfigVersionsImportResult = z.infer<typeof configVersionsImportResult>;
