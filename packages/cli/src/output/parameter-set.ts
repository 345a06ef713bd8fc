/**
 * @module A parameter set as `tradai parameter-sets show` prints it: what identifies it (hash,
 * checked against its content), where it came from (version, catalog, code, sweep), then one row
 * per value with its provenance and what the catalog said of the parameter when it was used.
 */
import {
  contentHash,
  type JsonValue,
  type ParameterSet,
  type ParameterSetResponse,
  type UsedParameter,
} from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const json = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The catalog parameter a value path belongs to: itself, or the json/list parameter holding it. */
function usedOf(set: ParameterSet, path: string): [string, UsedParameter] | undefined {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join(".");
    const used = set.catalog?.[name];
    if (used) return [name, used];
  }
  return undefined;
}

/** A key's provenance; for an object value, its leaves' (`minimal_roi.0`), named once when they agree. */
function provenanceOf(set: ParameterSet, key: string): string {
  const own = set.provenance[key];
  if (own) return own;
  const layers = new Set(
    Object.entries(set.provenance)
      .filter(([path]) => path.startsWith(`${key}.`))
      .map(([, layer]) => layer),
  );
  return layers.size === 0 ? "-" : [...layers].sort().join("+");
}

function boundsText(u: UsedParameter): string {
  if (u.allowed) return u.allowed.map(String).join("|");
  if (u.min !== undefined || u.max !== undefined) {
    return `${u.min ?? ""}..${u.max ?? ""}${u.step !== undefined ? ` step ${u.step}` : ""}`;
  }
  return "-";
}

/** What stands out about a value: deprecated, a deprecated value, uncatalogued, run on purpose. */
function notes(set: ParameterSet, key: string, value: unknown, used: UsedParameter | undefined): string {
  const out: string[] = [];
  if (!used && set.uncatalogued?.includes(key)) out.push("uncatalogued");
  if (used?.deprecated) out.push("deprecated parameter");
  const dv = used?.deprecated_values?.[typeof value === "string" ? value : JSON.stringify(value)];
  if (dv) out.push(`deprecated value (use ${json(dv.replacement)}: ${dv.reason})`);
  if (set.deprecated_allowed?.keys.includes(key)) out.push("run on purpose");
  if (used?.comparability === "ignore") out.push("comparability: ignore");
  return out.join("; ") || "-";
}

export function parameterSetText(response: ParameterSetResponse): string {
  const { hash, parameter_set: set } = response;
  const recomputed = contentHash(set as unknown as JsonValue);
  const code = [set.code?.version, set.code?.task_definition && `task definition ${set.code.task_definition}`].filter(
    Boolean,
  );
  const fields: [string, string][] = [
    [
      "hash",
      `${hash} (${recomputed === hash ? "verified: the content hashes to it" : `MISMATCH: the content hashes to ${recomputed}`})`,
    ],
    ["schema", set.schema],
    ["strategy", set.strategy],
    ["config version", set.config_version_id ? `${set.config_version_id} (${set.config_hash ?? "-"})` : "none"],
    ["catalog revision", set.catalog_revision === undefined ? "-" : String(set.catalog_revision)],
    [
      "environment base",
      set.environment_base ? `${set.environment_base.environment} revision ${set.environment_base.revision}` : "-",
    ],
    ["code", code.length > 0 ? code.join(", ") : "-"],
    ["platform", set.platform_version],
    ["made by", set.launcher],
    ["created", response.created_at],
    ["runs bound to it", String(response.run_count)],
  ];
  if (set.sweep) fields.push(["sweep", `${set.sweep.id} at ${JSON.stringify(set.sweep.point)}`]);
  if (set.deprecated_allowed) {
    fields.push([
      "deprecated on purpose",
      `${set.deprecated_allowed.keys.join(", ")}: ${set.deprecated_allowed.reason}`,
    ]);
  }
  if (set.uncatalogued?.length) fields.push(["uncatalogued", set.uncatalogued.join(", ")]);
  const rows = Object.keys(set.values)
    .sort()
    .map((key) => {
      const value = set.values[key];
      const [, used] = usedOf(set, key) ?? [];
      return [
        key,
        json(value),
        provenanceOf(set, key),
        used?.type ?? "-",
        used ? boundsText(used) : "-",
        used?.reload ?? "-",
        used?.criticality ?? "-",
        notes(set, key, value, used),
      ];
    });
  return `${formatFields(fields)}\n\n${formatTable([
    ["KEY", "VALUE", "FROM", "TYPE", "BOUNDS/ALLOWED", "RELOAD", "CRITICALITY", "NOTES"],
    ...rows,
  ])}`;
}
