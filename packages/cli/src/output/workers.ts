/** @module Human output of the workers view: one line per worker and strategy. */
import type { WorkerView } from "@tradai/core";
import { formatTable } from "./table.js";

const ago = (seconds: number) => (seconds < 120 ? `${Math.round(seconds)}s ago` : `${Math.round(seconds / 60)}m ago`);

/** `name=value,...`, or "-" (a server before labels in the view sends none). */
const labelsText = (labels: Record<string, string> | undefined) =>
  labels && Object.keys(labels).length > 0
    ? Object.entries(labels)
        .map(([name, value]) => `${name}=${value}`)
        .join(",")
    : "-";

/** `filtered`: the list was asked for with --env or --selector. */
export function formatWorkers(workers: readonly WorkerView[], filtered = false): string {
  if (workers.length === 0) return filtered ? "no worker matches --env / --selector" : "no worker has reported yet";
  const rows = [
    [
      "WORKER",
      "ENV",
      "LABELS",
      "STATUS",
      "STRATEGY",
      "APPLIED",
      "ACTIVE",
      "LAG",
      "HEARTBEAT",
      "RESTART_PENDING",
      "BETWEEN_TRADES_PENDING",
    ],
  ];
  for (const w of workers) {
    const strategies = w.strategies.length ? w.strategies : [undefined];
    for (const s of strategies) {
      rows.push([
        w.worker_id,
        w.environment,
        labelsText(w.labels),
        w.status,
        s?.strategy ?? "-",
        s?.applied_config_id ?? "-",
        s?.active_config_id ?? "-",
        !s || s.up_to_date ? "-" : `${s.lag_changes} change(s), ${Math.round(s.lag_seconds)}s`,
        ago(w.seconds_since_heartbeat),
        w.pending_restart.length ? w.pending_restart.join(",") : "-",
        // (a server before the between_trades class sends none)
        w.pending_between_trades?.length ? w.pending_between_trades.join(",") : "-",
      ]);
    }
  }
  // Strict live mode: what a live worker refuses, and why (it runs its previous config).
  const refused = workers.flatMap((w) =>
    (w.refused ?? []).map(
      (r) => `${w.worker_id} refuses ${r.strategy} ${r.config_version_id ?? ""} since ${r.at}: ${r.reason}`,
    ),
  );
  return [formatTable(rows), ...refused].join("\n");
}
