/**
 * @module Queueing a run inside a governed change: its parameter set stored (once per hash), the
 * run bound to it with exactly what the launcher is asked to start and the tags it carries, and
 * its audit entry.
 */
import { randomUUID } from "node:crypto";
import type { ParameterSet } from "@tradai/core";
import type { ChangeRecord } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";
import { parameterSetStore } from "../parameter-sets/store.js";
import { type NewRun, runStore } from "./store.js";
import type { TaskDefinition } from "./task-definitions.js";

export interface QueuedRun {
  parameterSet: ParameterSet;
  hash: string;
  task: TaskDefinition;
  versionId: number | null;
  environment: string;
  experimentName: string | null;
  priority: number;
  rerunOf: string | null;
  warnings: string[];
  uncatalogued: string[];
  sweepId: string | null;
  /** a sweep's grid point, its place in the grid and the parameters swept, in the order asked (JSONB keeps no key order) */
  point?: { index: number; values: Record<string, unknown>; over: string[] };
  platformVersion: string;
  launcher: string;
}

/** @returns the new run's job id */
export async function queueRun(q: Queryable, record: ChangeRecord, input: QueuedRun): Promise<string> {
  const { parameterSet, hash, task } = input;
  const jobId = randomUUID();
  const versionFields: Record<string, string> = parameterSet.config_version_id
    ? { config_version_id: parameterSet.config_version_id }
    : {};
  const run: NewRun = {
    jobId,
    strategy: parameterSet.strategy,
    environment: input.environment,
    parameterSetHash: hash,
    versionId: input.versionId,
    configVersionId: parameterSet.config_version_id ?? null,
    experimentName: input.experimentName,
    priority: input.priority,
    taskDefinition: task.name,
    // Point 1 of 5: exactly what the launcher is asked to start.
    launchInput: {
      job_id: jobId,
      strategy: parameterSet.strategy,
      environment: input.environment,
      task_definition: task.name,
      command: task.command,
      ...versionFields,
      parameter_set_hash: hash,
      experiment_name: input.experimentName,
      priority: input.priority,
      ...(input.sweepId
        ? {
            sweep_id: input.sweepId,
            sweep_over: input.point?.over ?? [],
            sweep_index: input.point?.index ?? 0,
            sweep_point: input.point?.values ?? {},
          }
        : {}),
    },
    tags: {
      job_id: jobId,
      strategy: parameterSet.strategy,
      environment: input.environment,
      ...versionFields,
      parameter_set_hash: hash,
      ...(input.experimentName ? { experiment_name: input.experimentName } : {}),
      ...(input.sweepId ? { sweep_id: input.sweepId } : {}),
      platform_version: input.platformVersion,
      launcher: input.launcher,
    },
    rerunOf: input.rerunOf,
    submittedBy: record.actor.name,
    warnings: input.warnings,
    uncatalogued: input.uncatalogued,
    sweepId: input.sweepId,
  };
  await parameterSetStore(q).save(hash, parameterSet, input.versionId);
  await runStore(q).insert(run);
  record.audit({
    action: input.rerunOf ? "run.rerun" : "run.submit",
    target_type: "run",
    target_id: jobId,
    environment: input.environment,
    after: run.launchInput,
    details: {
      ...(input.rerunOf ? { rerun_of: input.rerunOf } : {}),
      ...(input.warnings.length > 0 ? { warnings: input.warnings } : {}),
      ...(input.uncatalogued.length > 0 ? { uncatalogued: input.uncatalogued } : {}),
    },
  });
  return jobId;
}
