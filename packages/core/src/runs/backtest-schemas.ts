/** @module Shapes of the backtest API (seed field names: `config.strategy`, `symbols`, `job_id`, ...). */
import { z } from "zod";
import { configId, strategyName } from "../configs/schemas.js";
import { TIMEFRAMES } from "./timeframes.js";

export const ACTIVE_ALIAS = "ACTIVE";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "is not a calendar date",
  );

/** What the launcher and worker need once the request and the config version are merged. */
export const backtestSettings = {
  symbols: z.array(z.string().min(1, "must not be empty")).min(1, "must list at least one symbol"),
  timeframe: z.enum(TIMEFRAMES, { error: `must be one of ${TIMEFRAMES.join(", ")}` }),
  start_date: isoDate,
  end_date: isoDate,
  stake_amount: z.number().positive("must be positive"),
  stake_currency: z.string().min(1).optional(),
  exchange: z.string().min(1),
  task_definition: z.string().min(1).optional(),
};

/**
 * The request's `config`. Settings may be left out when the config version supplies them; any
 * other key is a strategy parameter and passes through.
 */
export const backtestRequestConfig = z.looseObject({
  strategy: strategyName,
  config_version_id: z.union([z.literal(ACTIVE_ALIAS), configId]).optional(),
  symbols: backtestSettings.symbols.optional(),
  timeframe: backtestSettings.timeframe.optional(),
  start_date: backtestSettings.start_date.optional(),
  end_date: backtestSettings.end_date.optional(),
  stake_amount: backtestSettings.stake_amount.optional(),
  stake_currency: backtestSettings.stake_currency,
  exchange: backtestSettings.exchange.optional(),
  task_definition: backtestSettings.task_definition,
});

/** Running deprecated values on purpose: the parameters whose deprecated values are meant, and why. */
export const allowDeprecated = z.strictObject({
  keys: z.array(z.string().min(1)).min(1, "name at least one parameter"),
  reason: z.string().min(3, "say why a deprecated value must run").max(2000),
});
export type AllowDeprecated = z.infer<typeof allowDeprecated>;

export const submitBacktestBody = z.strictObject({
  config: backtestRequestConfig,
  experiment_name: z.string().min(1).max(200).optional(),
  priority: z.number().int().min(0).max(100).optional(),
  allow_deprecated: allowDeprecated.optional(),
});
export type SubmitBacktestBody = z.infer<typeof submitBacktestBody>;

/** The merged values must satisfy this before a run is accepted. */
export const resolvedBacktestValues = z
  .looseObject({ ...backtestSettings })
  .refine((v) => v.start_date < v.end_date, { message: "must be before end_date", path: ["start_date"] });

export const runStatus = z.enum(["queued", "running", "completed", "failed", "cancelled"]);
export type RunStatus = z.infer<typeof runStatus>;

/** legacy: a run from before the migration, registered from the legacy system (never queued, never re-run). */
export const RUN_KINDS = ["backtest", "paper", "live", "legacy"] as const;
export const runKind = z.enum(RUN_KINDS);

/** Where a run's prices came from: `synthetic` (generated candles: not a market result) or `market`. */
export const DATA_SOURCES = ["synthetic", "market"] as const;
export const dataSource = z.enum(DATA_SOURCES);
export type DataSource = z.infer<typeof dataSource>;

export const run = z.object({
  job_id: z.string(),
  kind: runKind,
  strategy: z.string(),
  environment: z.string(),
  status: runStatus,
  progress: z.number(),
  progress_message: z.string().nullable(),
  error: z.string().nullable(),
  experiment_name: z.string().nullable(),
  priority: z.number().int(),
  config_version_id: z.string().optional().describe("absent when the run has no config version"),
  parameter_set_hash: z.string(),
  task_definition: z.string(),
  tags: z.record(z.string(), z.string()),
  rerun_of: z.string().nullable(),
  submitted_by: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  exit_code: z.number().int().nullable(),
  attempts: z.number().int(),
  result_location: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  data_source: dataSource
    .nullable()
    .describe("the prices the result comes from; synthetic: not a market result; null while unknown"),
  mlflow_run_id: z.string().nullable(),
  mlflow_error: z.string().nullable(),
  warnings: z.array(z.string()).describe("what a reader must be told: deprecated values used on purpose"),
  uncatalogued: z.array(z.string()).describe("keys no catalog parameter describes (an open catalog policy)"),
  sweep_id: z.string().nullable().describe("the sweep it is a point of"),
  legacy: z
    .object({ source: z.string(), id: z.string() })
    .nullable()
    .describe("a legacy run: where it was registered from and its id there (null: a run of the platform)"),
});
export type Run = z.infer<typeof run>;

export const submitBacktestResponse = z.object({
  job_id: z.string(),
  status: runStatus,
  parameter_set_hash: z.string(),
  config_version_id: z.string().optional(),
  merged_from_config_version: z.array(z.string()).describe("keys taken from the config version's data"),
});
export type SubmitBacktestResponse = z.infer<typeof submitBacktestResponse>;

export const listRunsQuery = z.object({
  strategy: strategyName.optional(),
  status: runStatus.optional(),
  config_version_id: configId.optional(),
  parameter_set_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits")
    .optional(),
  experiment: z.string().optional(),
  sweep_id: z.uuid({ error: "must be a sweep id (UUID)" }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const runList = z.object({
  items: z.array(run),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_offset: z.number().int().nullable(),
});
export type RunList = z.infer<typeof runList>;

export const jobPathParams = z.object({ job_id: z.uuid({ error: "must be a job id (UUID)" }) });

export const tracePoint = z.object({
  point: z.enum(["launch_input", "worker_environment", "run_record", "result_json", "tags", "mlflow_tags"]),
  source: z.string().describe("where the values were read"),
  present: z.boolean(),
  config_version_id: z.string().nullable(),
  parameter_set_hash: z.string().nullable(),
  agrees: z.boolean(),
  problem: z.string().nullable(),
});
export const runTrace = z.object({
  job_id: z.string(),
  expected: z.object({ config_version_id: z.string().nullable(), parameter_set_hash: z.string() }),
  points: z.array(tracePoint),
  consistent: z.boolean(),
});
export type RunTrace = z.infer<typeof runTrace>;

export const runLogLine = z.object({ line_no: z.number().int(), stream: z.string(), at: z.string(), line: z.string() });
export const runLogs = z.object({
  job_id: z.string(),
  lines: z.array(runLogLine),
  next_after: z.number().int().nullable(),
});
export type RunLogs = z.infer<typeof runLogs>;
