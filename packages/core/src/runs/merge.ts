/**
 * @module Merging a config version's data into a run request: the version fills every
 * parameter the request does not give; explicit request values win. Identity fields are never
 * taken from config data. Below the version lie catalog defaults and environment base values,
 * merged leaf by leaf as resolution does; the request then replaces whole parameters.
 */
import { type Layer, resolveLayers } from "../resolution/layers.js";
import type { ProvenanceLayer } from "./parameter-set.js";

/** Keys that name the run rather than parameterise it. */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set([
  "strategy",
  "config_version_id",
  "job_id",
  "experiment_name",
]);

export interface MergeResult {
  values: Record<string, unknown>;
  provenance: Record<string, ProvenanceLayer>;
  /** Keys taken from the config version, sorted (canonical key order). */
  merged: string[];
}

export function mergeConfigDefaults(
  request: Record<string, unknown>,
  configData: Record<string, unknown> | undefined,
): MergeResult {
  const values: Record<string, unknown> = {};
  const provenance: Record<string, ProvenanceLayer> = {};
  for (const [key, value] of Object.entries(request)) {
    if (IDENTITY_KEYS.has(key) || value === undefined) continue;
    values[key] = value;
    provenance[key] = "request";
  }
  const merged: string[] = [];
  for (const [key, value] of Object.entries(configData ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (IDENTITY_KEYS.has(key) || key in values) continue;
    values[key] = value;
    provenance[key] = "config_version";
    merged.push(key);
  }
  return { values, provenance, merged };
}

/**
 * The run's values: `layers` (catalog defaults <- environment base <- config version) resolved
 * leaf by leaf, then each top-level parameter the request gives replaces what the layers had.
 * `merged` lists the top-level keys taken (wholly or partly) from the config version.
 */
export function mergeRunValues(
  request: Record<string, unknown>,
  layers: readonly Layer[],
  opaque: ReadonlySet<string> = new Set(),
): MergeResult {
  const withoutIdentity = layers.map((l) => ({
    ...l,
    values: Object.fromEntries(Object.entries(l.values).filter(([key]) => !IDENTITY_KEYS.has(key))),
  }));
  const resolved = resolveLayers(withoutIdentity, opaque);
  const values: Record<string, unknown> = { ...resolved.values };
  const provenance: Record<string, ProvenanceLayer> = {};
  const requested = Object.entries(request).filter(([key, value]) => !IDENTITY_KEYS.has(key) && value !== undefined);
  const given = new Set(requested.map(([key]) => key));
  for (const [path, origin] of Object.entries(resolved.provenance)) {
    if (!given.has(path.split(".")[0] as string))
      provenance[path] = origin.layer === "run_override" ? "request" : origin.layer;
  }
  for (const [key, value] of requested) {
    values[key] = value;
    provenance[key] = "request";
  }
  const merged = [
    ...new Set(
      Object.entries(provenance)
        .filter(([, layer]) => layer === "config_version")
        .map(([path]) => path.split(".")[0] as string),
    ),
  ].sort();
  const sorted = Object.fromEntries(Object.entries(provenance).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { values, provenance: sorted, merged };
}
