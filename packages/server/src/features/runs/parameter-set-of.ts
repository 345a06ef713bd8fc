/** @module The parameter set of a new run: its values, and everything reproducing and comparing it needs. */
import { type AllowDeprecated, PARAMETER_SET_SCHEMA, type ParameterSet } from "@tradai/core";
import type { RunValues } from "./run-values.js";
import type { TaskDefinition } from "./task-definitions.js";

export function parameterSetOf(input: {
  strategy: string;
  environment: string;
  v: RunValues;
  task: TaskDefinition;
  allowed: AllowDeprecated | undefined;
  sweep?: ParameterSet["sweep"];
  platformVersion: string;
  launcher: string;
}): ParameterSet {
  const { v, task, allowed } = input;
  const { version, verdict } = v;
  return {
    schema: PARAMETER_SET_SCHEMA,
    strategy: input.strategy,
    values: v.values,
    provenance: v.provenance,
    ...(version ? { config_version_id: version.configId, config_hash: version.hash } : {}),
    ...(v.catalogRevision > 0 ? { catalog_revision: v.catalogRevision } : {}),
    ...(v.baseRevision > 0 ? { environment_base: { environment: input.environment, revision: v.baseRevision } } : {}),
    ...(Object.keys(verdict.used).length > 0 ? { catalog: verdict.used } : {}),
    ...(verdict.uncatalogued.length > 0 ? { uncatalogued: verdict.uncatalogued } : {}),
    ...(allowed && verdict.deprecated.length > 0
      ? { deprecated_allowed: { keys: [...allowed.keys].sort(), reason: allowed.reason } }
      : {}),
    code: { task_definition: task.name, ...(task.version ? { version: task.version } : {}) },
    ...(input.sweep ? { sweep: input.sweep } : {}),
    platform_version: input.platformVersion,
    launcher: input.launcher,
  };
}
