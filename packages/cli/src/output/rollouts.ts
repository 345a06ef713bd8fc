/** @module Human output of staged rollouts: a line per rollout, and one rollout with its steps, workers and guards. */
import { type RolloutStatus, type RolloutView, stepWorkers } from "@tradai/core";
import { formatTable } from "./table.js";

const bakeText = (seconds: number) =>
  seconds === 0 ? "no bake" : seconds % 60 === 0 ? `bake ${seconds / 60}m` : `bake ${seconds}s`;

export function formatRollouts(rollouts: readonly RolloutView[]): string {
  if (rollouts.length === 0) return "no rollout";
  return formatTable([
    ["ID", "STRATEGY", "ENV", "VERSION", "FROM", "STATE", "STEP", "NEXT", "STARTED_BY"],
    ...rollouts.map((r) => [
      r.id,
      r.strategy,
      r.environment,
      r.config_id,
      r.from_config_id ?? "-",
      r.state,
      `${r.step + 1}/${r.steps.length}`,
      r.next_at ?? "-",
      r.created_by,
    ]),
  ]);
}

export function formatRollout(r: RolloutStatus): string {
  const lines = [
    `Rollout ${r.id}: ${r.config_id} of ${r.strategy} in ${r.environment} (from ${r.from_config_id ?? "none"}), ${r.state}`,
  ];
  if (r.end_reason) lines.push(`  ended ${r.ended_at}: ${r.end_reason}`);
  if (r.change_request_id !== null) lines.push(`  approved as change request ${r.change_request_id}`);
  lines.push("", "Steps:");
  for (const [i, step] of r.steps.entries()) {
    const mark = i < r.step ? "done" : i === r.step ? (r.state === "running" ? "now " : r.state) : "    ";
    lines.push(`  ${i + 1}. [${mark}] ${stepWorkers(step)}, ${bakeText(step.bake_seconds)}`);
  }
  if (r.next_at) lines.push(`  next step due at ${r.next_at}`);
  lines.push("", "Guards:");
  if (r.guard_readings.length === 0) lines.push("  none");
  for (const g of r.guard_readings) lines.push(`  ${g.index + 1}. ${g.holds ? "HOLDS" : "ok   "} ${g.summary}`);
  lines.push("", "Workers:");
  if (r.workers.length === 0) lines.push("  none reports the strategy");
  else
    lines.push(
      formatTable([
        ["WORKER", "ASSIGNED", "RUNS", "STATUS", "HEALTH"],
        ...r.workers.map((w) => [
          w.worker_id,
          w.assigned ? "yes" : "no",
          w.applied_config_id ?? "-",
          w.status,
          Object.entries(w.health)
            .map(([k, v]) => `${k}=${v}`)
            .join(",") || "-",
        ]),
      ]),
    );
  return lines.join("\n");
}
