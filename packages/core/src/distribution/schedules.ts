/**
 * @module Scheduled changes (issue 19): an activation, a rollback or a staged rollout, to be carried
 * out at a time given in a time zone. It waits as a visible pending change, may be cancelled, and is
 * judged again when it runs: a freeze, a needed approval or another version active by then refuse
 * it loudly (audited, alerted), never silently.
 */
import { z } from "zod";
import { configId, environmentName, strategyName } from "../configs/schemas.js";
import { rolloutGuard, rolloutStep } from "./rollouts.js";

export const SCHEDULED_KINDS = ["activation", "rollback", "rollout", "change_request"] as const;
export const SCHEDULE_STATES = ["pending", "done", "refused", "cancelled"] as const;

const LOCAL_OR_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

export const scheduleRequest = z
  .strictObject({
    kind: z
      .enum(SCHEDULED_KINDS)
      .describe(
        "what runs then: an activation, a rollback, a staged rollout, or a change request approved ahead (applied then, not at its last approval)",
      ),
    strategy: strategyName.optional().describe("the strategy (all kinds but change_request)"),
    environment: environmentName.optional().describe("the environment (all kinds but change_request)"),
    change_request_id: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("the pending change request (kind change_request)"),
    config_id: configId.optional().describe("the version (activation, rollout)"),
    steps: z.array(rolloutStep).min(1).max(20).optional().describe("a rollout's steps"),
    guards: z.array(rolloutGuard).max(20).optional().describe("a rollout's guards"),
    at: z
      .string()
      .regex(LOCAL_OR_ISO, "a time such as 2026-12-08T08:00 (in time_zone) or 2026-12-08T08:00:00Z")
      .describe("when: a wall-clock time in time_zone, or an instant with its offset"),
    time_zone: z.string().min(1).max(64).default("UTC").describe("an IANA time zone, e.g. Asia/Tokyo"),
  })
  .superRefine((r, ctx) => {
    if (r.kind === "change_request") {
      if (r.change_request_id === undefined)
        ctx.addIssue({ code: "custom", path: ["change_request_id"], message: "name the change request to apply then" });
      for (const field of ["strategy", "environment", "config_id", "steps", "guards"] as const)
        if (r[field] !== undefined)
          ctx.addIssue({ code: "custom", path: [field], message: "a change request says it itself" });
      return;
    }
    if (r.change_request_id !== undefined)
      ctx.addIssue({ code: "custom", path: ["change_request_id"], message: "only with kind change_request" });
    for (const field of ["strategy", "environment"] as const)
      if (r[field] === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `a scheduled ${r.kind} names it` });
    if (r.kind !== "rollback" && r.config_id === undefined)
      ctx.addIssue({ code: "custom", path: ["config_id"], message: `a scheduled ${r.kind} names the version` });
    if (r.kind === "rollback" && r.config_id !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["config_id"],
        message: "a rollback goes to the version before: name none",
      });
    if (r.kind === "rollout" && r.steps === undefined)
      ctx.addIssue({ code: "custom", path: ["steps"], message: "a scheduled rollout needs its steps" });
    if (r.kind !== "rollout" && (r.steps !== undefined || r.guards !== undefined))
      ctx.addIssue({ code: "custom", path: ["steps"], message: "steps and guards belong to a rollout" });
  });
export type ScheduleRequest = z.infer<typeof scheduleRequest>;

export const scheduledChangeView = z.object({
  id: z.string(),
  kind: z.enum(SCHEDULED_KINDS),
  strategy: z.string().nullable(),
  environment: z.string(),
  /** the version it activates or rolls out (a rollback's: the one before, found when scheduled) */
  config_id: z.string().nullable(),
  change_request_id: z.number().int().nullable().describe("the change request it applies then (kind change_request)"),
  expected_active: z.string().nullable().describe("the version active when it was scheduled: it runs only if still so"),
  run_at: z.string().describe("the instant it runs (UTC)"),
  local_time: z.string().describe("the same instant in its time zone"),
  time_zone: z.string(),
  summary: z.string(),
  state: z.enum(SCHEDULE_STATES),
  outcome: z.string().nullable().describe("what happened when it ran, or why it was refused or cancelled"),
  created_by: z.string(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
});
export type ScheduledChangeView = z.infer<typeof scheduledChangeView>;

export const listSchedulesQuery = z.object({
  environment: environmentName.optional(),
  state: z.enum(SCHEDULE_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const schedulePathParams = z.object({ id: z.uuid("a scheduled change's id (a UUID)") });
export const cancelScheduleBody = z.strictObject({
  reason: z.string().trim().min(1, "say why").max(2000).describe("kept in the audit trail"),
});
