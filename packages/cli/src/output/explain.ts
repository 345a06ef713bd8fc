/** @module `tradai config explain`: every resolved value and where it came from. */
import { type ResolvedConfig, valueAt } from "@tradai/core";
import { formatTable } from "./table.js";

export const LAYER_NAMES: Record<string, string> = {
  catalog_default: "catalog default",
  environment_base: "environment base",
  config_version: "config version",
  run_override: "run override",
};

export function explainTable(resolved: ResolvedConfig): string {
  const rows = Object.entries(resolved.provenance ?? {}).map(([path, origin]) => {
    const found = valueAt(resolved.values, path);
    return [
      path,
      found.found ? JSON.stringify(found.value) : "-",
      LAYER_NAMES[origin.layer] ?? origin.layer,
      origin.source,
    ];
  });
  return [
    `${resolved.strategy} in ${resolved.environment} (active ${resolved.config_version_id}), resolved hash ${resolved.resolved_hash}`,
    formatTable([["PARAMETER", "VALUE", "FROM", "SOURCE"], ...rows]),
  ].join("\n");
}
