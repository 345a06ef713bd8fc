/** @module How config versions look in the terminal. */
import type { ConfigVersion } from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const dash = (value: string | null | undefined) => value ?? "-";
const when = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");

export function versionTable(versions: readonly ConfigVersion[]): string {
  return formatTable([
    ["CONFIG_ID", "STATUS", "CREATED", "DEPLOYED", "SUPERSEDED_BY", "DESCRIPTION"],
    ...versions.map((v) => [
      v.config_id,
      v.status.toUpperCase(),
      when(v.created_at),
      when(v.deployed_at),
      dash(v.superseded_by),
      dash(v.description),
    ]),
  ]);
}

export function versionDetails(v: ConfigVersion): string {
  const fields: [string, string][] = [
    ["strategy", v.strategy_name],
    ["config_id", v.config_id],
    ["config_hash", v.config_hash],
    ["environment", v.environment],
    ["status", v.status + (v.explicitly_deprecated ? " (explicitly deprecated)" : "")],
    ["description", dash(v.description)],
    ["created", `${when(v.created_at)} by ${v.created_by}`],
    ["deployed", when(v.deployed_at)],
    ["deprecated", when(v.deprecated_at)],
    ["superseded_by", dash(v.superseded_by)],
  ];
  if (v.purge_after) fields.push(["purge_after", when(v.purge_after)]);
  return `${formatFields(fields)}\nconfig_data:\n${JSON.stringify(v.config_data, null, 2)}`;
}
