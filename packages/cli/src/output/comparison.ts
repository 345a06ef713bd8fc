/** @module How a comparison of two runs looks in the terminal: verdict, reasons key by key, metrics with deltas. */
import type { ComparedRun, MetricComparison, RunComparison } from "@tradai/core";
import { formatTable } from "./table.js";

const shown = (v: unknown) => (v === undefined ? "-" : typeof v === "string" ? v : JSON.stringify(v));
const number = (n: number | null) => (n === null ? "-" : String(n));
/** A delta with its sign: +3, -500, 0. */
export const signed = (delta: number | null) => (delta === null ? "-" : delta > 0 ? `+${delta}` : String(delta));

function runLine(label: string, run: ComparedRun): string {
  const version = run.config_version_id ? `config version ${run.config_version_id}` : "no config version";
  const code = run.code_version ? `code ${run.code_version}` : "no code version";
  return `${label} ${run.job_id} (${run.strategy}, ${version}, ${code}, parameter set ${run.parameter_set_hash.slice(0, 12)})`;
}

/** The metrics of runs A and B side by side, with B - A (`runs compare`, `runs diff`). */
export function metricComparisonTable(metrics: readonly MetricComparison[]): string {
  if (metrics.length === 0) return "(no metrics: neither run reported any)";
  return formatTable([
    ["METRIC", "A", "B", "DELTA (B - A)"],
    ...metrics.map((m) => [m.name, number(m.a), number(m.b), signed(m.delta)]),
  ]);
}

export function comparisonText(c: RunComparison): string {
  const reasons =
    c.reasons.length === 0
      ? "no differences"
      : formatTable([
          ["KEY", "EFFECT", "KIND", "A", "B", "WHY"],
          ...c.reasons.map((r) => [r.key ?? `(${r.field})`, r.effect, r.kind, shown(r.a), shown(r.b), r.message]),
        ]);
  return [
    `verdict: ${c.verdict.toUpperCase()}`,
    c.summary,
    runLine("A", c.a),
    runLine("B", c.b),
    "",
    reasons,
    "",
    metricComparisonTable(c.metrics),
  ].join("\n");
}
