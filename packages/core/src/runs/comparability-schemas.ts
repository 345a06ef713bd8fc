/**
 * @module Shapes of a comparability answer: what a pair of runs allows (`strict`, `relaxed`,
 * `forbidden`), each difference between their parameter sets with why it does or does not matter,
 * and their metrics side by side; and the API's answer, which adds both runs' identity.
 */
import { z } from "zod";
import { runStatus } from "./backtest-schemas.js";

export const COMPARABILITY_VERDICTS = ["strict", "relaxed", "forbidden"] as const;
export const comparabilityVerdict = z.enum(COMPARABILITY_VERDICTS);
export type ComparabilityVerdict = z.infer<typeof comparabilityVerdict>;

/** What one difference does to the verdict: `none` (it identifies the run), or the verdict it allows at best. */
export const differenceEffect = z.enum(["none", "relaxed", "forbidden"]);
export type DifferenceEffect = z.infer<typeof differenceEffect>;

export const DIFFERENCE_KINDS = [
  "legacy", // a parameter set of schema tradai.parameter-set/1: no catalog metadata, no code version
  "strategy", // different strategies
  "value", // different values of a key the comparison counts
  "ignored_value", // different values of a key the catalog marks `comparability: ignore` in both runs
  "catalog_type", // the catalog gave the key a different type
  "catalog_entry", // the catalog described the key in one run only
  "catalog_rules", // the catalog's other rules on the key (bounds, allowed values, reload, ...) changed
  "code_version", // code versions a minor or major version apart, or not readable as semver
  "code_patch", // code versions a patch apart
  "task_definition", // different task definitions (workers)
  "provenance", // the same value, from another layer
  "context", // around the values: config version, catalog revision, base values, launcher, ...
  "identity", // what identifies a run (its sweep)
] as const;
export const differenceKind = z.enum(DIFFERENCE_KINDS);
export type DifferenceKind = z.infer<typeof differenceKind>;

export const comparabilityReason = z.object({
  key: z.string().optional().describe("the dotted parameter key, for a difference in the values or the catalog"),
  field: z.string().optional().describe("the parameter set's field (schema, code.version, ...) otherwise"),
  kind: differenceKind,
  effect: differenceEffect,
  a: z.unknown().optional().describe("what run A had (absent: nothing)"),
  b: z.unknown().optional().describe("what run B had (absent: nothing)"),
  message: z.string().describe("the difference, and why it does or does not matter"),
});
export type ComparabilityReason = z.infer<typeof comparabilityReason>;

export const metricComparison = z.object({
  name: z.string(),
  a: z.number().nullable(),
  b: z.number().nullable(),
  delta: z.number().nullable().describe("b - a, when both are numbers"),
});
export type MetricComparison = z.infer<typeof metricComparison>;

export const comparability = z.object({
  verdict: comparabilityVerdict,
  summary: z.string().describe("the verdict in a sentence: what may be concluded from comparing the two runs"),
  reasons: z.array(comparabilityReason).describe("every difference, forbidden first, then relaxed, then none"),
  metrics: z.array(metricComparison),
});
export type Comparability = z.infer<typeof comparability>;

/** A run as a comparison names it. */
export const comparedRun = z.object({
  job_id: z.string(),
  strategy: z.string(),
  environment: z.string(),
  status: runStatus,
  parameter_set_hash: z.string(),
  parameter_set_schema: z.string(),
  config_version_id: z.string().optional(),
  task_definition: z.string(),
  code_version: z.string().nullable(),
  platform_version: z.string(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type ComparedRun = z.infer<typeof comparedRun>;

/** GET /api/v1/runs/compare?a=&b=: both runs, and what comparing them allows. */
export const runComparison = z.object({ a: comparedRun, b: comparedRun, ...comparability.shape });
export type RunComparison = z.infer<typeof runComparison>;

export const compareRunsQuery = z.object({
  a: z.uuid({ error: "must be a job id (UUID)" }),
  b: z.uuid({ error: "must be a job id (UUID)" }),
});
