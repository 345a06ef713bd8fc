/** @module A run row as the API shows it: no version fields at all when the run has none. */
import type { Run } from "@tradai/core";
import type { RunRow } from "./store.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRun(row: RunRow): Run {
  return {
    job_id: row.job_id,
    kind: row.kind,
    strategy: row.strategy_name,
    environment: row.environment,
    status: row.status,
    progress: row.progress,
    progress_message: row.progress_message,
    error: row.error,
    experiment_name: row.experiment_name,
    priority: row.priority,
    ...(row.config_version_id ? { config_version_id: row.config_version_id } : {}),
    parameter_set_hash: row.parameter_set_hash,
    task_definition: row.task_definition,
    tags: row.tags,
    rerun_of: row.rerun_of,
    submitted_by: row.submitted_by,
    created_at: row.created_at.toISOString(),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    exit_code: row.exit_code,
    attempts: row.attempts,
    result_location: row.result_location,
    metrics: row.metrics,
    data_source: row.data_source,
    mlflow_run_id: row.mlflow_run_id,
    mlflow_error: row.mlflow_error,
    warnings: row.warnings,
    uncatalogued: row.uncatalogued,
    sweep_id: row.sweep_id,
    legacy: row.legacy_id && row.legacy_source ? { source: row.legacy_source, id: row.legacy_id } : null,
  };
}
