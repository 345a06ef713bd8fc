/**
 * @module Merging a config version's data into a run request: the version fills every
 * parameter the request does not give; explicit request values win. Identity fields are never
 * taken from config data.
 */
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
