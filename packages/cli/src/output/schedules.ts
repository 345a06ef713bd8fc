/** @module Human output of scheduled changes: a line each. */
import type { ScheduledChangeView } from "@tradai/core";
import { formatTable } from "./table.js";

export function formatSchedules(items: readonly ScheduledChangeView[]): string {
  if (items.length === 0) return "no scheduled change";
  return formatTable([
    ["ID", "KIND", "STRATEGY", "ENV", "VERSION", "AT", "STATE", "OUTCOME"],
    ...items.map((s) => [
      s.id,
      s.kind,
      s.strategy ?? "-",
      s.environment,
      s.config_id ?? (s.change_request_id === null ? "-" : `change request ${s.change_request_id}`),
      s.local_time,
      s.state,
      s.outcome ?? "-",
    ]),
  ]);
}
