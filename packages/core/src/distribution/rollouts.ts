/**
 * @module What a staged rollout is asked to do (issue 19): the version, its steps (a share of the
 * workers, or those a label selector names, each baked for a while) and its guards (rules over what
 * the canaries report against the rest). The API, the CLI and change requests take this shape.
 */
import { z } from "zod";
import { configId, environmentName, strategyName } from "../configs/schemas.js";
import { labelSelector } from "./labels.js";
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

export const rolloutRequest = z
  .strictObject({
    strategy: strategyName,
    environment: environmentName,
    config_id: configId.describe("the version rolled out"),
    steps: z.array(rolloutStep).min(1).max(20),
    guards: z.array(rolloutGuard).max(20).default([]),
  })
  .superRefine((request, ctx) => {
    // Shares only grow: a step never takes back workers an earlier one gave the version to.
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
  });
export type RolloutRequest = z.infer<typeof rolloutRequest>;
