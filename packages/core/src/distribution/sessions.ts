/**
 * @module API shapes of sessions: a paper or live worker process running a strategy is a run of
 * kind `paper` or `live`, with the append-only history of every configuration it applied.
 */
import { z } from "zod";
import { environmentName, strategyName } from "../configs/schemas.js";
import { appliedRecord, WORKER_ID_PATTERN, workerProcess } from "./workers.js";

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-11-23T14:03:00Z" });

export const sessionKind = z.enum(["paper", "live"]);

export const historyEntry = z.object({
  seq: z.number().int(),
  config_version_id: z.string().nullable(),
  resolved_hash: z.string(),
  parameter_set_hash: z.string(),
  applied_at: z.string(),
  boundary: z.string(),
  latency_ms: z.number().nullable(),
  pending_restart: z.array(z.string()),
  pending_between_trades: z.array(z.string()).describe("keys held until the worker holds no open trade"),
  held_shadow: z.array(z.string()).describe("shadow keys whose new value the worker does not apply"),
  recorded_at: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const sessionView = z.object({
  session_id: z.string(),
  kind: sessionKind,
  mode: sessionKind,
  worker_id: z.string(),
  instance: z.string(),
  environment: z.string(),
  strategy: z.string(),
  labels: z.record(z.string(), z.string()),
  code_version: z.string().nullable(),
  status: z.enum(["open", "ended"]),
  opened_at: z.string(),
  ended_at: z.string().nullable(),
  reported_by: z.string().describe("the credential that opened it"),
  parameter_set_hash: z.string().describe("the parameter set it opened with"),
  applies: z.number().int().describe("rows in its applied history"),
  last_applied: historyEntry.nullable(),
  in_effect: historyEntry
    .nullable()
    .optional()
    .describe("with `at`: the configuration in use at that time (null: none applied yet)"),
});
export type SessionView = z.infer<typeof sessionView>;

export const sessionDetail = sessionView.extend({ history: z.array(historyEntry) });
export type SessionDetail = z.infer<typeof sessionDetail>;

export const listSessionsQuery = z.object({
  worker: z.string().regex(WORKER_ID_PATTERN, "a worker id").optional(),
  environment: environmentName.optional(),
  strategy: strategyName.optional(),
  kind: sessionKind.optional(),
  status: z.enum(["open", "ended"]).optional(),
  at: isoTime.optional().describe("only sessions open at this time, each with the configuration in use then"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListSessionsQuery = z.input<typeof listSessionsQuery>;

export const sessionList = z.object({
  items: z.array(sessionView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_offset: z.number().int().nullable(),
});
export type SessionList = z.infer<typeof sessionList>;

export const sessionPathParams = z.object({ session_id: z.uuid({ error: "must be a session id (UUID)" }) });

/** Opening sessions explicitly (the libraries do at start): the process, and what it applied first. */
export const openSessionsBody = z.strictObject({
  environment: environmentName,
  process: workerProcess.extend({ instance: workerProcess.shape.instance.unwrap(), mode: sessionKind }),
  applies: z.array(appliedRecord).min(1, "name the configuration of each strategy it starts with").max(200),
});
export type OpenSessionsBody = z.input<typeof openSessionsBody>;

export const openSessionsResponse = z.object({
  sessions: z.array(
    z.object({ strategy: z.string(), session_id: z.string(), parameter_set_hash: z.string(), opened: z.boolean() }),
  ),
});
export type OpenSessionsResponse = z.infer<typeof openSessionsResponse>;
