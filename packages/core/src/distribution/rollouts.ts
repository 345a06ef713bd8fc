/**
 * @module What a staged rollout is asked to do (issue 19): the version, its steps (a share of the
 * workers, or those a label selector names, each baked for a while) and its guards (rules over what
 * the canaries report against the rest). The API, the CLI and change requests take this shape.
 */
import { z } from "zod";
import { configId, environmentName, strategyName } from "../configs/schemas.js";
import { labelSelector, parseLabelSelector } from "./labels.js";
import type { RolloutStepTarget } from "./rollout-assignment.js";
import { healthFigureName } from "./workers.js";

const MAX_BAKE_SECONDS = 7 * 24 * 3600;

const bakeSeconds = z
  .number()
  .int()
  .min(0)
  .max(MAX_BAKE_SECONDS, "at most 7 days")
  .describe("how long the step runs before the next one starts, guards watching");

export const rolloutStep = z.union([
  z.strictObject({
    share: z
      .number()
      .gt(0, "a share above 0")
      .max(1, "at most 1 (every worker)")
      .describe("the share of the environment's workers, the same ones every time (hashed from worker and rollout)"),
    bake_seconds: bakeSeconds,
  }),
  z.strictObject({
    selector: labelSelector.describe("the workers whose labels hold every pair, e.g. canary=true"),
    bake_seconds: bakeSeconds,
  }),
]);
export type RolloutStep = z.infer<typeof rolloutStep>;

/** A rule over the assigned workers (the canaries) that rolls the rollout back when it holds. */
export const rolloutGuard = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("figure_vs_baseline"),
    figure: healthFigureName,
    ratio: z.number().gt(1).describe("trips when the canaries' mean is above ratio x the other workers' mean"),
    for_seconds: z.number().int().min(0).max(3600).describe("... and stays above for this long"),
  }),
  z.strictObject({
    kind: z.literal("figure_above"),
    figure: healthFigureName,
    above: z.number().describe("trips when any canary reports more than this"),
    for_seconds: z.number().int().min(0).max(3600).default(0),
  }),
  z.strictObject({ kind: z.literal("canary_stale").describe("trips when a canary stops reporting (stale)") }),
  z.strictObject({
    kind: z.literal("apply_violation").describe("trips on any config_apply_violation a canary reports"),
  }),
]);
export type RolloutGuard = z.infer<typeof rolloutGuard>;

const rolloutRequestFields = {
  strategy: strategyName,
  environment: environmentName,
  config_id: configId.describe("the version rolled out"),
  steps: z.array(rolloutStep).min(1).max(20),
  guards: z.array(rolloutGuard).max(20).default([]),
};

/** Shares only grow: a step never takes back workers an earlier one gave the version to. */
function sharesGrow(request: { steps: RolloutStep[] }, ctx: z.RefinementCtx) {
  let highest = 0;
  for (const [i, step] of request.steps.entries()) {
    if (!("share" in step)) continue;
    if (step.share < highest) {
      ctx.addIssue({
        code: "custom",
        path: ["steps", i, "share"],
        message: `at least the share of an earlier step (${highest}): a step never takes the version back from workers`,
      });
    }
    highest = Math.max(highest, step.share);
  }
}

export const rolloutRequest = z.strictObject(rolloutRequestFields).superRefine(sharesGrow);
export type RolloutRequest = z.infer<typeof rolloutRequest>;

/** A step's workers, in words: "the workers with canary=true", "25% of the workers". */
export function stepWorkers(step: RolloutStep): string {
  if ("share" in step) return step.share === 1 ? "every worker" : `${+(step.share * 100).toFixed(2)}% of the workers`;
  return `the workers with ${step.selector}`;
}

/** What a step assigns, as the assignment takes it. */
export function stepTarget(step: RolloutStep): RolloutStepTarget {
  return "share" in step ? { share: step.share } : { selector: parseLabelSelector(step.selector) };
}

export const ROLLOUT_STATES = ["running", "paused", "completed", "rolled_back", "aborted"] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];
export const rolloutEnded = (state: RolloutState) => state !== "running" && state !== "paused";

export const rolloutView = z.object({
  id: z.string(),
  strategy: z.string(),
  environment: z.string(),
  config_id: z.string(),
  config_hash: z.string(),
  from_config_id: z
    .string()
    .nullable()
    .describe("the version active for all when it started: what the workers not assigned keep"),
  steps: z.array(rolloutStep),
  guards: z.array(rolloutGuard),
  state: z.enum(ROLLOUT_STATES),
  step: z.number().int().describe("the step in force, 0-based"),
  step_started_at: z.string(),
  next_at: z
    .string()
    .nullable()
    .describe("when the step in force has baked and the next one (or the completion) is due; null: paused or ended"),
  assignment: z.object({ threshold: z.number(), selectors: z.array(z.record(z.string(), z.string())) }),
  change_request_id: z.number().int().nullable().describe("the change request that approved it"),
  created_by: z.string(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
  end_reason: z.string().nullable(),
});
/** A rollout as the API shows it. */
export type RolloutView = z.infer<typeof rolloutView>;

export const guardReading = z.object({
  index: z.number().int(),
  guard: rolloutGuard,
  holds: z.boolean().describe("the rule holds on the workers' latest reports"),
  figures: z.record(z.string(), z.union([z.number(), z.null(), z.array(z.string())])),
  summary: z.string(),
});

export const rolloutStatus = rolloutView.extend({
  workers: z.array(
    z.object({
      worker_id: z.string(),
      assigned: z.boolean().describe("the rollout assigns it: it resolves the rollout's version"),
      status: z.enum(["ok", "lagging", "refused", "stale"]),
      labels: z.record(z.string(), z.string()),
      health: z.record(z.string(), z.number()),
      applied_config_id: z.string().nullable(),
      applied_hash: z.string().nullable(),
      on_rollout: z.boolean().describe("it runs the rollout's version"),
    }),
  ),
  guard_readings: z.array(guardReading),
});
export type RolloutStatus = z.infer<typeof rolloutStatus>;

export const startRolloutBody = z
  .strictObject({
    ...rolloutRequestFields,
    freeze_override_reason: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .describe("admin only: start it in a frozen environment, with this reason"),
  })
  .superRefine(sharesGrow);
export const abortRolloutBody = z.strictObject({
  reason: z.string().trim().min(1, "say why").max(2000).describe("why it is stopped: kept in the audit trail"),
});
export const listRolloutsQuery = z.object({
  environment: environmentName.optional(),
  strategy: strategyName.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const rolloutPathParams = z.object({ id: z.uuid("a rollout id (a UUID)") });
