/**
 * @module Layered resolution with provenance: catalog defaults <- environment base values <- the
 * active version <- run overrides. Values merge by leaf (dotted path); a later layer wins; every
 * resolved leaf says which layer gave it and which revision or version of that layer.
 */
import { z } from "zod";
import { isPlainObject } from "../catalog/paths.js";

export const resolutionLayer = z.enum(["catalog_default", "environment_base", "config_version", "run_override"]);
export type ResolutionLayer = z.infer<typeof resolutionLayer>;

export interface Layer {
  layer: ResolutionLayer;
  /** which revision or version of the layer, e.g. "catalog revision 73", "v3-a3b2c1d4" */
  source: string;
  values: Record<string, unknown>;
}

export interface Provenance {
  layer: ResolutionLayer;
  source: string;
}

/** Leaves of nested values by dotted path; objects named in `opaque` (json parameters) stay whole. */
export function leaves(
  values: Record<string, unknown>,
  opaque: ReadonlySet<string> = new Set(),
  prefix = "",
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values)) {
    const path = prefix + key;
    if (isPlainObject(value) && Object.keys(value).length > 0 && !opaque.has(path)) {
      for (const [p, v] of leaves(value, opaque, `${path}.`)) out.set(p, v);
    } else out.set(path, value);
  }
  return out;
}

function unflatten(flat: Map<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of [...flat].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parts = path.split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(node[part])) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1) as string] = value;
  }
  return root;
}

export interface Resolved {
  values: Record<string, unknown>;
  provenance: Record<string, Provenance>;
}

export function resolveLayers(layers: readonly Layer[], opaque: ReadonlySet<string> = new Set()): Resolved {
  const flat = new Map<string, unknown>();
  const provenance = new Map<string, Provenance>();
  for (const { layer, source, values } of layers) {
    for (const [path, value] of leaves(values, opaque)) {
      // A leaf replaces whatever lay at, above or below its path.
      for (const existing of [...flat.keys()]) {
        if (existing === path || existing.startsWith(`${path}.`) || path.startsWith(`${existing}.`)) {
          flat.delete(existing);
          provenance.delete(existing);
        }
      }
      flat.set(path, value);
      provenance.set(path, { layer, source });
    }
  }
  return {
    values: unflatten(flat),
    provenance: Object.fromEntries([...provenance].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}
