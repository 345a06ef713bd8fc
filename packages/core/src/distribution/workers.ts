/** @module API shapes of workers: the heartbeat they send, and the view of who runs what. */
import { z } from "zod";
import { configId, environmentName, strategyName } from "../configs/schemas.js";
import { RELOAD_CLASSES } from "./changes.js";
import { labelSelector, workerLabels } from "./labels.js";

export const WORKER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z" });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lowercase hex");

/** The worker process: what a session is (one per process `instance` and strategy), and what ran. */
export const workerProcess = z.strictObject({
  pid: z.number().int().optional(),
  host: z.string().max(255).optional(),
  version: z
    .string()
    .max(200)
    .optional()
    .describe("the code version of the worker or its strategy: git SHA, image digest or package version"),
  mode: z.enum(["paper", "live"]).optional(),
  stale: z.boolean().optional().describe("running on the last-known-good copy; the server has not answered since"),
  instance: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "1-128 letters, digits, '.', '_', ':' or '-'")
    .optional()
    .describe("this process, e.g. a UUID made at start: with `mode`, it opens a session per strategy"),
  labels: workerLabels.optional().describe("what the worker declares of itself, e.g. exchange=binance, canary=true"),
});
export type WorkerProcess = z.infer<typeof workerProcess>;

/** One configuration the worker applied: a row of its session's history. */
export const appliedRecord = z.strictObject({
  strategy: strategyName,
  seq: z.number().int().min(1).describe("the worker's own count of its applies in this process, from 1"),
  config_version_id: configId.nullable(),
  resolved_hash: sha256.describe("the hash of the values in use (canonical JSON, SHA-256)"),
  values: z.record(z.string(), z.unknown()).describe("the values in use: their hash must be resolved_hash"),
  applied_at: isoTime,
  boundary: z.string().min(1).max(100).describe('where it was applied: "start", or the safe point the worker named'),
  latency_ms: z.number().min(0).nullable().describe("from the change's commit to the apply (null: not known)"),
  pending_restart: z.array(z.string().max(300)).max(1000).default([]),
  pending_between_trades: z
    .array(z.string().max(300))
    .max(1000)
    .default([])
    .describe("keys whose new value waits for a boundary with no open trade (the value in use is the old one)"),
  held_shadow: z
    .array(z.string().max(300))
    .max(1000)
    .default([])
    .describe("shadow keys whose new value the worker does not apply (the value in use is the old one)"),
});
export type AppliedRecord = z.infer<typeof appliedRecord>;

/**
 * A change of a `shadow` parameter the worker did not apply: where a hot key would have taken it.
 * `old` or `new` is absent when the key was absent on that side.
 */
export const shadowObservation = z.strictObject({
  id: z.number().int().min(1).describe("the worker's own count of its observations in this process, from 1"),
  strategy: strategyName,
  key: z.string().min(1).max(300),
  old: z.unknown().optional().describe("the value in use (absent: the key was absent)"),
  new: z.unknown().optional().describe("the value it would have applied (absent: the key was removed)"),
  seq: z.number().int().min(0).describe("the change event the new value came with (0: not from an event)"),
  boundary: z.string().min(1).max(100).describe("the safe point where a hot key would have taken it"),
  open_trades: z.number().int().min(0).nullable().describe("trades open at that boundary (null: not told)"),
  at: isoTime,
});
export type ShadowObservation = z.infer<typeof shadowObservation>;

/** A config a live worker refuses (the catalog warns of it): it keeps running the one it has. */
export const refusedConfig = z.strictObject({
  strategy: strategyName,
  config_version_id: configId.nullable(),
  resolved_hash: sha256.nullable(),
  reason: z.string().min(1).max(2000),
  at: isoTime,
});
export type RefusedConfig = z.infer<typeof refusedConfig>;

/** At most 20 named numbers, e.g. {errors: 2, rejected_orders: 0, drawdown_pct: 1.5}. */
/** A health figure's name, as the workers report it. */
export const HEALTH_FIGURE_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;
export const MAX_HEALTH_FIGURES = 20;
export const healthFigureName = z
  .string()
  .regex(HEALTH_FIGURE_NAME, "a figure's name: lower case, digits, '_', '.', '-'");

export const workerHealth = z
  .record(healthFigureName, z.number())
  .refine((figures) => Object.keys(figures).length <= MAX_HEALTH_FIGURES, `at most ${MAX_HEALTH_FIGURES} figures`);

export const heartbeatBody = z.strictObject({
  environment: environmentName,
  applied: z
    .array(
      z.strictObject({
        strategy: strategyName,
        config_version_id: configId.nullable(),
        resolved_hash: z
          .string()
          .regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lowercase hex")
          .nullable(),
        applied_at: isoTime,
        seq: z.number().int().min(0).optional().describe("the seq of the change event this config came with"),
      }),
    )
    .max(200),
  last_seq: z.number().int().min(0).default(0),
  pending_restart: z.array(z.string().max(300)).max(1000).default([]),
  pending_between_trades: z
    .array(z.string().max(300))
    .max(1000)
    .default([])
    .describe('"strategy:key" of each value held until the worker holds no open trade'),
  process: workerProcess.optional(),
  refused: z
    .array(refusedConfig)
    .max(200)
    .default([])
    .describe(
      "the configs this live worker refuses now (catalog warnings), one per strategy: it runs its previous one",
    ),
  events: z
    .record(z.string().max(100), z.number().int().min(0))
    .refine((e) => Object.keys(e).length <= 50, "at most 50 kinds of event")
    .optional()
    .describe("how many of each event this process emitted since it started (KPI 3 and KPI 4 signals)"),
  final: z.boolean().optional().describe("the process is stopping: this is its last report, and its sessions end"),
  health: workerHealth
    .optional()
    .describe(
      "figures of the worker's choosing, e.g. errors, rejected_orders, drawdown_pct since the change: the view shows the latest, a rollout's guards compare canaries with the rest on them",
    ),
  applies: z
    .array(appliedRecord)
    .max(200)
    .optional()
    .describe(
      "configurations applied since the last acknowledged report, oldest first: each appends to the session's history (resent until a report is answered 2xx; a seq already recorded is skipped)",
    ),
  shadow: z
    .array(shadowObservation)
    .max(200)
    .optional()
    .describe(
      "`config_shadow_would_apply` observations since the last acknowledged report, oldest first (resent until a report is answered 2xx; an id already recorded for the process is skipped)",
    ),
});
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

export const listWorkersQuery = z.object({
  environment: environmentName.optional(),
  selector: labelSelector
    .optional()
    .describe("only workers whose labels hold every name=value pair, e.g. canary=true,exchange=binance"),
});

/** `refused`: a live worker refuses its environment's config (catalog warnings) and runs an older one. */
export const workerStatus = z.enum(["ok", "lagging", "refused", "stale"]);

export const workerView = z.object({
  worker_id: z.string(),
  environment: z.string(),
  status: workerStatus,
  last_heartbeat: z.string(),
  seconds_since_heartbeat: z.number(),
  last_seq: z.number().int(),
  pending_restart: z.array(z.string()),
  pending_between_trades: z
    .array(z.string())
    .describe('"strategy:key" of each value held until the worker holds no open trade'),
  process: z.unknown().nullable(),
  labels: z.record(z.string(), z.string()).describe("the labels its process declared (process.labels)"),
  health: z.record(z.string(), z.number()).describe("the health figures of its latest report"),
  refused: z.array(refusedConfig).describe("configs the worker refuses now: the reason, and when"),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      applied_config_id: z.string().nullable(),
      applied_hash: z.string().nullable(),
      applied_at: z.string(),
      active_config_id: z.string().nullable(),
      active_since: z.string().nullable(),
      expected_hash: z
        .string()
        .nullable()
        .describe(
          "what the worker should run: the environment's resolved hash for the strategy, after the latest change",
        ),
      rollout: z
        .object({ id: z.string(), assigned: z.boolean() })
        .nullable()
        .describe("the staged rollout of the strategy running there, and whether it assigns this worker (null: none)"),
      up_to_date: z
        .boolean()
        .describe("it runs the expected hash, or applied the latest change (only restart or between-trades keys wait)"),
      lag_changes: z
        .number()
        .int()
        .describe(
          "changes to its resolved config since the one it applied: activations, base values, catalog defaults",
        ),
      lag_versions: z.number().int().describe("activations in the environment since the one the worker applied"),
      lag_seconds: z
        .number()
        .describe("how long the first change it has not applied has been waiting for it (0 when up to date)"),
    }),
  ),
});
export type WorkerView = z.infer<typeof workerView>;

/** The evidence on a shadow key: what workers would have applied of it, over which period, where. */
export const shadowKeySummary = z.object({
  key: z.string(),
  parameter: z.string().nullable().describe("the catalog parameter that is the key or holds it (null: none now)"),
  reload: z.enum(RELOAD_CLASSES).nullable().describe("that parameter's reload class now"),
  events: z.number().int().describe("would-apply observations recorded"),
  workers: z.number().int().describe("distinct workers that made them"),
  first_at: z.string(),
  last_at: z.string(),
  mid_trade: z.number().int().describe("observations made at a boundary with a trade open"),
  trade_unknown: z.number().int().describe("observations whose worker did not say whether a trade was open"),
});
export type ShadowKeySummary = z.infer<typeof shadowKeySummary>;

export const shadowSummaryQuery = z.object({
  environment: environmentName.optional(),
  since: isoTime.optional().describe("only observations made at or after this time"),
});
