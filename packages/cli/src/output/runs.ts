/** @module How runs, traces and parameter-set diffs look in the terminal. */
import type { ParameterSetDiff, Run, RunTrace, ValuesDiff } from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");
const short = (hash: string) => hash.slice(0, 12);
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * What a run's numbers come from, in words a trader reads (`backtest show`, run summaries).
 * @example dataSourceText(run) // "synthetic prices: not a market result"
 */
export function dataSourceText(r: Pick<Run, "data_source" | "status">): string {
  if (r.data_source === "synthetic") return "synthetic prices: not a market result";
  if (r.data_source === "market") return "market prices";
  return r.status === "queued" || r.status === "running" ? "not known yet" : "unknown (the worker did not say)";
}

export function runTable(runs: readonly Run[]): string {
  return formatTable([
    ["JOB_ID", "STATUS", "PROGRESS", "STRATEGY", "CONFIG_VERSION", "PARAMETER_SET", "CREATED", "PRICES"],
    ...runs.map((r) => [
      r.job_id,
      r.status.toUpperCase(),
      `${r.progress.toFixed(0)}%`,
      r.strategy,
      r.config_version_id ?? "-",
      short(r.parameter_set_hash),
      when(r.created_at),
      r.data_source ?? "-",
    ]),
  ]);
}

export function metricsTable(metrics: Record<string, unknown> | null): string {
  if (!metrics) return "(no metrics)";
  return formatTable([["METRIC", "VALUE"], ...Object.entries(metrics).map(([k, v]) => [k, show(v)])]);
}

export function runDetails(r: Run): string {
  const fields: [string, string][] = [
    ["job_id", r.job_id],
    ["status", r.status + (r.error ? ` (${r.error})` : "")],
    ["progress", `${r.progress.toFixed(0)}%${r.progress_message ? ` ${r.progress_message}` : ""}`],
    ["strategy", r.strategy],
    ["environment", r.environment],
    ["config_version", r.config_version_id ?? "(none)"],
    ["parameter_set", r.parameter_set_hash],
    ["experiment", r.experiment_name ?? "-"],
    ["task_definition", r.task_definition],
    ["data_source", dataSourceText(r)],
    ["created", `${when(r.created_at)} by ${r.submitted_by}`],
    ["started", when(r.started_at)],
    ["finished", when(r.finished_at)],
    ["result", r.result_location ?? "-"],
  ];
  if (r.rerun_of) fields.push(["rerun_of", r.rerun_of]);
  if (r.sweep_id) fields.push(["sweep", r.sweep_id]);
  for (const warning of r.warnings) fields.push(["warning", warning]);
  if (r.uncatalogued.length > 0) fields.push(["uncatalogued", `${r.uncatalogued.join(", ")} (not in the catalog)`]);
  if (r.mlflow_run_id || r.mlflow_error) fields.push(["mlflow", r.mlflow_run_id ?? `failed: ${r.mlflow_error}`]);
  return `${formatFields(fields)}\n\n${metricsTable(r.metrics)}`;
}

export function traceTable(trace: RunTrace): string {
  const table = formatTable([
    ["POINT", "AGREES", "CONFIG_VERSION_ID", "PARAMETER_SET_HASH", "SOURCE"],
    ...trace.points.map((p) => [
      p.point,
      p.agrees ? "yes" : "NO",
      p.present ? (p.config_version_id ?? "(none)") : "(missing)",
      p.present ? (p.parameter_set_hash ? short(p.parameter_set_hash) : "(none)") : "(missing)",
      p.problem ? `${p.source}: ${p.problem}` : p.source,
    ]),
  ]);
  const expected = `expected: config_version_id ${trace.expected.config_version_id ?? "(none)"}, parameter_set_hash ${trace.expected.parameter_set_hash}`;
  const verdict = trace.consistent ? "all points agree" : "POINTS DISAGREE";
  return `${expected}\n${table}\n${verdict}`;
}

/** The KEY / CHANGE / A / B table of a parameter-set diff; `same` when nothing differs. */
export function diffText(diff: ParameterSetDiff, same = "the two parameter sets have the same values"): string {
  const rows: string[][] = [["KEY", "CHANGE", "A", "B"]];
  for (const [k, v] of Object.entries(diff.changed)) rows.push([k, "changed", show(v.old), show(v.new)]);
  for (const [k, v] of Object.entries(diff.added)) rows.push([k, "added", "-", show(v)]);
  for (const [k, v] of Object.entries(diff.removed)) rows.push([k, "removed", show(v), "-"]);
  for (const [k, v] of Object.entries(diff.context)) rows.push([`(${k})`, "changed", show(v.old), show(v.new)]);
  return rows.length === 1 ? same : formatTable(rows);
}

/** The same table for two sets of values (e.g. two config versions' data): A's value, then B's. */
export function valuesDiffText(diff: ValuesDiff, same: string): string {
  return diffText({ a: "", b: "", ...diff, context: {} }, same);
}
