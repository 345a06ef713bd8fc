/** @module Which audit entries a config can be restored from: `config.create` entries that recorded a version's content. */
import type { AuditEntry } from "@tradai/core";

export interface RestorableContent {
  strategy_name: string;
  config_id: string | null;
  config_data: Record<string, unknown>;
  description: string | null;
}

/** The version content an entry holds, when POST /api/v1/audit/{seq}/restore applies to it. */
export function restorableContent(entry: AuditEntry): RestorableContent | null {
  if (entry.action !== "config.create") return null;
  const after = entry.after as Record<string, unknown> | null;
  if (!after || typeof after.strategy_name !== "string") return null;
  const data = after.config_data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  return {
    strategy_name: after.strategy_name,
    config_id: typeof after.config_id === "string" ? after.config_id : null,
    config_data: data as Record<string, unknown>,
    description: typeof after.description === "string" ? after.description : null,
  };
}
