/**
 * @module The legacy mirror (issue 17, the cut-over): while old workers still read
 * `ftf_config.base_env` at pod start, the platform writes each environment's resolved config of one
 * strategy back to that row after every change, from the change feed (the outbox), retried until
 * it lands. Set per environment, through the governed path; its lag is shown with the workers.
 */
import { z } from "zod";
import { strategyName } from "../configs/schemas.js";
import { DEFAULT_LEGACY_SHAPE, LEGACY_IDENTIFIER } from "./legacy-rows.js";

const identifier = z.string().regex(LEGACY_IDENTIFIER, "must be a table or column name (name or schema.name)");

/** Where the resolved config is written: the live row's table and column, and the history it appends to. */
export const legacyMirrorTarget = z.strictObject({
  table: identifier.default(DEFAULT_LEGACY_SHAPE.table),
  column: identifier.default(DEFAULT_LEGACY_SHAPE.column),
  history_table: identifier
    .nullable()
    .default(DEFAULT_LEGACY_SHAPE.historyTable)
    .describe("each write also appends a history row here, as the legacy tool did (null: none)"),
  history_column: identifier.default(DEFAULT_LEGACY_SHAPE.historyColumn),
  author_column: identifier.default(DEFAULT_LEGACY_SHAPE.authorColumn),
  time_column: identifier.default(DEFAULT_LEGACY_SHAPE.timeColumn),
  comment_column: identifier.default(DEFAULT_LEGACY_SHAPE.commentColumn),
});
export type LegacyMirrorTarget = z.infer<typeof legacyMirrorTarget>;

export const legacyMirrorBody = z.strictObject({
  strategy: strategyName.describe("the strategy whose resolved config the legacy row holds (e.g. FTF)"),
  enabled: z.boolean().describe("false: the mirror stops writing (its state stays, to be turned on again)"),
  target: legacyMirrorTarget.default(legacyMirrorTarget.parse({})),
});
export type LegacyMirrorBody = z.infer<typeof legacyMirrorBody>;

export const LEGACY_MIRROR_STATUSES = ["ok", "lagging", "failing", "off"] as const;

export const legacyMirrorView = z.object({
  environment: z.string(),
  strategy: z.string(),
  enabled: z.boolean(),
  target: legacyMirrorTarget,
  status: z
    .enum(LEGACY_MIRROR_STATUSES)
    .describe("ok: the row holds the latest; lagging: behind; failing: behind, and its last write failed; off"),
  up_to_date: z.boolean(),
  latest_seq: z.number().int().nullable().describe("the latest change to the strategy's resolved config there"),
  expected_hash: z.string().nullable(),
  mirrored_seq: z.number().int().describe("the change the row was last written for (0: never)"),
  mirrored_hash: z.string().nullable(),
  mirrored_config_id: z.string().nullable(),
  mirrored_at: z.string().nullable(),
  lag_changes: z.number().int(),
  lag_seconds: z.number().describe("how long the first change not yet in the row has been waiting (0: up to date)"),
  attempts: z.number().int().describe("failed writes in a row"),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  updated_by: z.string(),
  updated_at: z.string(),
});
export type LegacyMirrorView = z.infer<typeof legacyMirrorView>;
