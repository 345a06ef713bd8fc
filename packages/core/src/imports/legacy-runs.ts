/**
 * @module Runs from before the migration (issue 17): rows of the legacy `finetune_runs` table or
 * the results bucket's `backtests/<STRATEGY>/<DATE>/<JOB_ID>.json`, registered as runs of kind
 * `legacy`. Their parameter set is of the legacy schema, so no comparison judges them comparable;
 * nothing says which code ran them, so they cannot be re-run. Pure mapping, for the CLI.
 */
import { z } from "zod";
import { environmentName, strategyName } from "../configs/schemas.js";

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-04-24T10:00:00Z" });

export const legacyRun = z.strictObject({
  legacy_id: z.string().min(1).max(200).describe("the run's id in the legacy system: registered once"),
  strategy: strategyName,
  parameters: z.record(z.string(), z.unknown()).describe("what it ran with, as the legacy system kept it"),
  started_at: isoTime,
  finished_at: isoTime.nullable().optional(),
  status: z.enum(["completed", "failed"]).default("completed"),
  metrics: z.record(z.string(), z.unknown()).nullable().optional(),
  result_location: z.string().max(1000).nullable().optional(),
  author: z.string().max(200).nullable().optional(),
  experiment_name: z.string().max(200).nullable().optional(),
});
export type LegacyRun = z.infer<typeof legacyRun>;

export const legacyRunsImportBody = z.strictObject({
  environment: environmentName.optional().describe("where the runs ran (default: the server's default)"),
  source: z.string().min(1).max(500).describe("where they were read from: registered once per source and id"),
  runs: z.array(legacyRun).min(1).max(100_000),
  apply: z.boolean().default(false).describe("false: answer the plan and write nothing"),
});
export type LegacyRunsImportBody = z.infer<typeof legacyRunsImportBody>;

export const legacyRunsImportResult = z.object({
  outcome: z.enum(["planned", "applied", "unchanged"]),
  environment: z.string(),
  source: z.string(),
  runs: z.array(
    z.object({
      legacy_id: z.string(),
      strategy: z.string(),
      action: z.enum(["register", "registered_already"]),
      job_id: z.string().nullable().describe("the run it is (set once registered)"),
      parameter_set_hash: z.string(),
    }),
  ),
  registered: z.number().int(),
  already: z.number().int(),
  summary: z.string(),
});
export type LegacyRunsImportResult = z.infer<typeof legacyRunsImportResult>;

/** The legacy run table's columns (options: installations differ). */
export interface LegacyRunsShape {
  table: string;
  idColumn: string;
  strategyColumn: string;
  paramsColumn: string;
  metricsColumn: string;
  statusColumn: string;
  startedColumn: string;
  finishedColumn: string;
  authorColumn: string;
}

export const DEFAULT_LEGACY_RUNS_SHAPE: LegacyRunsShape = {
  table: "finetune_runs",
  idColumn: "id",
  strategyColumn: "strategy",
  paramsColumn: "params",
  metricsColumn: "metrics",
  statusColumn: "status",
  startedColumn: "started_at",
  finishedColumn: "finished_at",
  authorColumn: "created_by",
};

export class LegacyRunsError extends Error {
  override name = "LegacyRunsError";
}

const COMPLETED = new Set(["completed", "complete", "done", "success", "succeeded", "finished", "ok"]);
const FAILED = new Set(["failed", "failure", "error", "errored", "crashed", "cancelled", "canceled", "aborted"]);

/** A legacy status word as completed or failed (a run still running then is not history yet). */
export function legacyRunStatus(raw: unknown, where: string): "completed" | "failed" {
  const word = String(raw ?? "completed").toLowerCase();
  if (COMPLETED.has(word)) return "completed";
  if (FAILED.has(word)) return "failed";
  throw new LegacyRunsError(`${where}: status "${raw}" is neither finished nor failed; only ended runs are history`);
}

function timeOf(raw: unknown, where: string): string {
  const date = raw instanceof Date ? raw : new Date(String(raw));
  if (raw === null || raw === undefined || Number.isNaN(date.getTime())) {
    throw new LegacyRunsError(`${where}: "${raw}" is not a time`);
  }
  return date.toISOString();
}

function objectOf(raw: unknown, where: string): Record<string, unknown> {
  const value = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new LegacyRunsError(`${where}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Rows of the legacy run table as legacy runs; `strategy` fills in where the table has no such column. */
export function legacyRunsOf(
  rows: readonly Record<string, unknown>[],
  shape: LegacyRunsShape,
  strategy?: string,
): LegacyRun[] {
  return rows.map((row, i) => {
    const where = `${shape.table} row ${i + 1}`;
    const col = (name: string, required: boolean) => {
      if (name in row) return row[name];
      if (required) {
        throw new LegacyRunsError(
          `${where} has no column "${name}" (it has ${Object.keys(row).join(", ")}); name it with the options`,
        );
      }
      return undefined;
    };
    const strategyValue = strategy ?? col(shape.strategyColumn, true);
    const metrics = col(shape.metricsColumn, false);
    const finished = col(shape.finishedColumn, false);
    const author = col(shape.authorColumn, false);
    return {
      legacy_id: String(col(shape.idColumn, true)),
      strategy: String(strategyValue),
      parameters: objectOf(col(shape.paramsColumn, true), `${where}, ${shape.paramsColumn}`),
      started_at: timeOf(col(shape.startedColumn, true), `${where}, ${shape.startedColumn}`),
      ...(finished === null || finished === undefined
        ? {}
        : { finished_at: timeOf(finished, `${where}, ${shape.finishedColumn}`) }),
      status: legacyRunStatus(col(shape.statusColumn, false), `${where}, ${shape.statusColumn}`),
      ...(metrics === null || metrics === undefined
        ? {}
        : { metrics: objectOf(metrics, `${where}, ${shape.metricsColumn}`) }),
      ...(author === null || author === undefined ? {} : { author: String(author) }),
    };
  });
}

const RESULT_KEY = /(?:^|\/)([^/]+)\/(\d{4}-?\d{2}-?\d{2})\/([^/]+)\.json$/;

/**
 * A result file of the results bucket (`backtests/<STRATEGY>/<DATE>/<JOB_ID>.json`) as a legacy
 * run: the parameters under `parameters`, `params` or `config`; the metrics under `metrics`, else its
 * top-level numbers.
 */
export function legacyRunOfResult(key: string, location: string, content: unknown): LegacyRun {
  const match = RESULT_KEY.exec(key);
  if (!match) throw new LegacyRunsError(`${key}: expected <STRATEGY>/<DATE>/<JOB_ID>.json`);
  const [, strategy, date, jobId] = match as unknown as [string, string, string, string];
  const body = objectOf(content, key);
  const parameters = [body.parameters, body.params, body.config].find(
    (v) => v !== null && typeof v === "object" && !Array.isArray(v),
  ) as Record<string, unknown> | undefined;
  const metrics =
    body.metrics && typeof body.metrics === "object" && !Array.isArray(body.metrics)
      ? (body.metrics as Record<string, unknown>)
      : Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === "number"));
  const day = date.includes("-") ? date : `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`;
  return {
    legacy_id: jobId,
    strategy,
    parameters: parameters ?? {},
    started_at: timeOf(typeof body.started_at === "string" ? body.started_at : `${day}T00:00:00Z`, key),
    status: legacyRunStatus(body.status, key),
    metrics,
    result_location: location,
  };
}
