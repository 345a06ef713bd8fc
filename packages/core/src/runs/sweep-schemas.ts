/**
 * @module Shapes of sweeps: one run per point of a grid read from the catalog (each parameter's
 * allowed values, steps or variants), all sharing one sweep id, each with its own parameter set.
 */
import { z } from "zod";
import { parameterName } from "../catalog/parameter.js";
import { allowDeprecated, backtestRequestConfig, run, runStatus } from "./backtest-schemas.js";

/** Runs one sweep may start. */
export const MAX_SWEEP_RUNS = 500;

export const submitSweepBody = z.strictObject({
  config: backtestRequestConfig.describe("the request every point starts from"),
  over: z.array(parameterName).min(1, "name at least one parameter to sweep").max(8),
  experiment_name: z.string().min(1).max(200).optional(),
  priority: z.number().int().min(0).max(100).optional(),
  allow_deprecated: allowDeprecated.optional(),
});
export type SubmitSweepBody = z.infer<typeof submitSweepBody>;

const skippedPoint = z.object({
  point: z.record(z.string(), z.unknown()),
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});

export const submitSweepResponse = z.object({
  sweep_id: z.string(),
  strategy: z.string(),
  over: z.array(z.string()),
  catalog_revision: z.number().int(),
  size: z.number().int().describe("points of the grid"),
  runs: z.array(
    z.object({
      job_id: z.string(),
      point: z.record(z.string(), z.unknown()),
      parameter_set_hash: z.string(),
      status: runStatus,
    }),
  ),
  skipped: z.array(skippedPoint).describe("points the catalog refuses (a coherence rule), with why; no run"),
});
export type SubmitSweepResponse = z.infer<typeof submitSweepResponse>;

export const sweepView = z.object({
  sweep_id: z.string(),
  strategy: z.string(),
  over: z.array(z.string()),
  runs: z.array(run.extend({ point: z.record(z.string(), z.unknown()) })),
  done: z.number().int().describe("runs that ended (completed, failed or cancelled)"),
  total: z.number().int(),
});
export type SweepView = z.infer<typeof sweepView>;

export const sweepPathParams = z.object({ sweep_id: z.uuid({ error: "must be a sweep id (UUID)" }) });
