/** @module The legacy mirrors in the terminal: what each writes, how far behind it is, its last error. */
import type { LegacyMirrorView } from "@tradai/core";
import { formatTable } from "./table.js";

export function mirrorsTable(items: readonly LegacyMirrorView[]): string {
  if (items.length === 0) return "no legacy mirror is set (tradai import mirror set --env ENV --strategy NAME)";
  return formatTable([
    ["ENV", "STRATEGY", "STATUS", "WRITES", "MIRRORED", "LAG_CHANGES", "LAG_S", "ATTEMPTS", "LAST_ERROR"],
    ...items.map((m) => [
      m.environment,
      m.strategy,
      m.status,
      `${m.target.table}.${m.target.column}`,
      m.mirrored_config_id ? `${m.mirrored_config_id} (change ${m.mirrored_seq})` : "-",
      String(m.lag_changes),
      m.lag_seconds.toFixed(1),
      String(m.attempts),
      m.last_error ?? "-",
    ]),
  ]);
}
