/** @module Query keys of runs (one factory, so every runs query and mutation names the same roots). */
import type { RunStatus } from "@tradai/core";
import type { RunFilter } from "./runs-query";

export const runKeys = {
  all: ["runs"] as const,
  /** Every list, whatever its filter: what a new run (submitted, re-run) changes. */
  lists: () => ["runs", "list"] as const,
  list: (filter: RunFilter = {}) => ["runs", "list", filter] as const,
  one: (jobId: string) => ["runs", "one", jobId] as const,
  logs: (jobId: string) => ["runs", "logs", jobId] as const,
  trace: (jobId: string, status?: RunStatus) => ["runs", "trace", jobId, status] as const,
  equity: (jobId: string) => ["runs", "equity", jobId] as const,
  parameterSet: (hash: string) => ["runs", "parameter-set", hash] as const,
  parameterSetDiff: (a: string, b: string) => ["runs", "parameter-set-diff", a, b] as const,
  comparison: (a: string, b: string) => ["runs", "comparison", a, b] as const,
  sweep: (sweepId: string) => ["runs", "sweep", sweepId] as const,
};
