/**
 * @module The five propagation points of a run side by side: launch input, the environment the
 * worker reported, the run record, the result JSON, the tags (and MLflow's tags when tracked).
 * Each must carry the run's config_version_id (or none, for a run without one) and its
 * parameter_set_hash.
 */
import type { RunTrace } from "@tradai/core";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { RunTracker } from "../tracking/mlflow-tracker.js";
import type { RunRow } from "./store.js";

type Point = RunTrace["points"][number];

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

export async function traceRun(
  row: RunRow,
  artifacts: ArtifactStore,
  tracker: RunTracker | undefined,
): Promise<RunTrace> {
  const expected = { config_version_id: row.config_version_id, parameter_set_hash: row.parameter_set_hash };

  function point(
    name: Point["point"],
    source: string,
    fields: Record<string, unknown> | undefined,
    keys: [string, string],
    problem?: string,
  ): Point {
    const present = fields !== undefined;
    const cv = present ? str(fields[keys[0]]) : null;
    const ps = present ? str(fields[keys[1]]) : null;
    const agrees = present && cv === expected.config_version_id && ps === expected.parameter_set_hash;
    return {
      point: name,
      source,
      present,
      config_version_id: cv,
      parameter_set_hash: ps,
      agrees,
      problem: problem ?? null,
    };
  }

  const lower: [string, string] = ["config_version_id", "parameter_set_hash"];
  const points: Point[] = [
    point("launch_input", "runs.launch_input", row.launch_input, lower),
    point(
      "worker_environment",
      "the environment the worker reported in its result",
      row.worker_environment ?? undefined,
      ["CONFIG_VERSION_ID", "PARAMETER_SET_HASH"],
      row.worker_environment ? undefined : "the worker has not reported its environment (not finished, or failed)",
    ),
    point("run_record", "runs (config_version_id, parameter_set_hash)", { ...expected }, lower),
  ];

  let result: Record<string, unknown> | undefined;
  let resultProblem: string | undefined = row.result_location ? undefined : "no result stored";
  if (row.result_location) {
    try {
      result = (await artifacts.getJson(row.result_location)) as Record<string, unknown> | undefined;
      if (!result) resultProblem = `no result at ${row.result_location}`;
    } catch (error) {
      resultProblem = `cannot read ${row.result_location}: ${(error as Error).message}`;
    }
  }
  points.push(point("result_json", row.result_location ?? "artifact store", result, lower, resultProblem));
  points.push(point("tags", "runs.tags", row.tags, lower));

  if (tracker && (row.mlflow_run_id || row.mlflow_error)) {
    let tags: Record<string, string> | undefined;
    let problem = row.mlflow_error ?? undefined;
    if (row.mlflow_run_id) {
      try {
        tags = await tracker.tags(row.mlflow_run_id);
      } catch (error) {
        problem = (error as Error).message;
      }
    }
    points.push(point("mlflow_tags", `MLflow run ${row.mlflow_run_id ?? "(none)"}`, tags, lower, problem));
  }
  return { job_id: row.job_id, expected, points, consistent: points.every((p) => p.agrees) };
}
