/**
 * @module Comparing two runs (GET /api/v1/runs/compare): both runs as their readers may see them,
 * their parameter sets judged by core's comparability rules, their metrics side by side.
 */
import { type ComparedRun, judgeComparability, type ParameterSet, type Run, type RunComparison } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ProblemError } from "../../http/errors.js";
import { parameterSetStore } from "../parameter-sets/store.js";

/** The run `field` names, or its problem (404 unknown, 403 out of scope) naming that query field. */
export async function runNamedBy(field: "a" | "b", find: () => Promise<Run>): Promise<Run> {
  try {
    return await find();
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    throw new ProblemError(error.status, error.type, error.title, `${field}: ${error.detail}`, [
      { field, location: "query", message: error.detail },
    ]);
  }
}

function compared(run: Run, set: ParameterSet): ComparedRun {
  return {
    job_id: run.job_id,
    strategy: run.strategy,
    environment: run.environment,
    status: run.status,
    parameter_set_hash: run.parameter_set_hash,
    parameter_set_schema: set.schema,
    ...(run.config_version_id ? { config_version_id: run.config_version_id } : {}),
    task_definition: run.task_definition,
    code_version: set.code?.version ?? null,
    platform_version: set.platform_version,
    created_at: run.created_at,
    finished_at: run.finished_at,
  };
}

/** Both runs, what comparing them allows and why, and their metrics with b - a. */
export async function compareRuns(db: Queryable, a: Run, b: Run): Promise<RunComparison> {
  const store = parameterSetStore(db);
  const setOf = async (run: Run) => {
    const row = await store.find(run.parameter_set_hash);
    if (!row) throw new Error(`run ${run.job_id} points at a missing parameter set`); // the FK makes this impossible
    return row.document;
  };
  const [setA, setB] = [await setOf(a), await setOf(b)];
  return {
    a: compared(a, setA),
    b: compared(b, setB),
    ...judgeComparability(setA, setB, { a: a.metrics, b: b.metrics }),
  };
}
