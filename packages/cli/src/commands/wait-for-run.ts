/** @module Waiting for a run to end with a progress display, then its summary. */
import type { ApiClient } from "@tradai/client";
import type { Run } from "@tradai/core";
import { progressDisplay } from "../output/progress.js";
import { dataSourceText } from "../output/runs.js";

const ENDED = new Set(["completed", "failed", "cancelled"]);

export async function waitForRun(api: ApiClient, jobId: string, pollMs = 500): Promise<Run> {
  const display = progressDisplay();
  try {
    for (;;) {
      const run = await api.getRun(jobId);
      display.update(run.status, run.progress, run.progress_message);
      if (ENDED.has(run.status)) return run;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    display.done();
  }
}

export function runSummary(run: Run): string {
  const lines = [
    `Run ${run.job_id} ${run.status}${run.error ? `: ${run.error}` : ""}`,
    `config version:  ${run.config_version_id ?? "(none)"}`,
    `parameter set:   ${run.parameter_set_hash}`,
    `result:          ${run.result_location ?? "-"}`,
    `data source:     ${dataSourceText(run)}`,
  ];
  for (const warning of run.warnings) lines.push(`warning:         ${warning}`);
  if (run.uncatalogued.length > 0) lines.push(`uncatalogued:    ${run.uncatalogued.join(", ")} (not in the catalog)`);
  if (run.sweep_id) lines.push(`sweep:           ${run.sweep_id}`);
  if (run.metrics) {
    for (const [key, value] of Object.entries(run.metrics)) lines.push(`  ${key.padEnd(16)} ${String(value)}`);
  }
  return lines.join("\n");
}
