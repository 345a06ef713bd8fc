/** @module API shapes of workers: the heartbeat they send, and the view of who runs what. */
import { z } from "zod";
import { configId, environmentName, strategyName } from "../configs/schemas.js";

export const WORKER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z" });

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
  process: z
    .strictObject({
      pid: z.number().int().optional(),
      host: z.string().max(255).optional(),
      version: z.string().max(100).optional(),
      mode: z.enum(["paper", "live"]).optional(),
      stale: z.boolean().optional().describe("running on the last-known-good copy; the server has not answered since"),
    })
    .optional(),
});
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

export const workerStatus = z.enum(["ok", "lagging", "stale"]);

export const workerView = z.object({
  worker_id: z.string(),
  environment: z.string(),
  status: workerStatus,
  last_heartbeat: z.string(),
  seconds_since_heartbeat: z.number(),
  last_seq: z.number().int(),
  pending_restart: z.array(z.string()),
  process: z.unknown().nullable(),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      applied_config_id: z.string().nullable(),
      applied_hash: z.string().nullable(),
      applied_at: z.string(),
      active_config_id: z.string().nullable(),
      active_since: z.string().nullable(),
      up_to_date: z.boolean(),
      lag_versions: z.number().int().describe("activations in the environment since the one the worker applied"),
      lag_seconds: z
        .number()
        .describe("how long the active version has been waiting for this worker (0 when up to date)"),
    }),
  ),
});
export type WorkerView = z.infer<typeof workerView>;
