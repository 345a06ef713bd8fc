/**
 * @module The parameter set of a configuration a worker applied: its values (verified against the
 * hash it reported), the layer each came from (from the resolved config the change kernel kept;
 * a value waiting for a restart is `held_for_restart`, one waiting for a boundary with no open trade
 * `held_between_trades`, a shadow parameter's old value `held_shadow`; a config no change recorded
 * is `reported`),
 * the catalog's word on each key used, and the code version the worker reported. Workers applying
 * the same config with the same code share one set.
 */
import {
  type AppliedRecord,
  type CatalogParameter,
  leaves,
  PARAMETER_SET_SCHEMA,
  type ParameterSet,
  type ProvenanceLayer,
  uncataloguedKeys,
  usedParameters,
} from "@tradai/core";
import type { KeptResolvedConfig } from "../../changes/resolved-configs.js";

/** Marks sets made from a worker's report (a backtest's names its launcher). */
export const SESSION_LAUNCHER = "worker session";

const LAYERS: ReadonlySet<string> = new Set(["catalog_default", "environment_base", "config_version"]);

/** The layer of `path`, or of the json parameter holding it (kept whole in resolution). */
function layerOf(served: KeptResolvedConfig | undefined, path: string): string | undefined {
  if (!served) return undefined;
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const found = served.provenance[parts.slice(0, n).join(".")];
    if (found) return found.layer;
  }
  return undefined;
}

export function appliedParameterSet(input: {
  record: AppliedRecord;
  codeVersion: string | undefined;
  catalog: { revision: number; parameters: readonly CatalogParameter[] };
  /** the resolved config of that hash, or (keys waiting) of that version; none: unknown */
  served: KeptResolvedConfig | undefined;
  platformVersion: string;
}): ParameterSet {
  const { record, catalog, served } = input;
  const forRestart = new Set(record.pending_restart);
  const betweenTrades = new Set(record.pending_between_trades);
  const shadow = new Set(record.held_shadow);
  const provenance: Record<string, ProvenanceLayer> = {};
  for (const path of leaves(record.values).keys()) {
    const layer = layerOf(served, path);
    provenance[path] = forRestart.has(path)
      ? "held_for_restart"
      : betweenTrades.has(path)
        ? "held_between_trades"
        : shadow.has(path)
          ? "held_shadow"
          : layer && LAYERS.has(layer)
            ? (layer as ProvenanceLayer)
            : "reported";
  }
  const used = usedParameters(catalog.parameters, record.strategy, record.values);
  const uncatalogued = uncataloguedKeys(catalog.parameters, record.strategy, record.values);
  return {
    schema: PARAMETER_SET_SCHEMA,
    strategy: record.strategy,
    values: record.values,
    provenance,
    ...(record.config_version_id ? { config_version_id: record.config_version_id } : {}),
    ...(catalog.revision > 0 ? { catalog_revision: catalog.revision } : {}),
    ...(Object.keys(used).length > 0 ? { catalog: used } : {}),
    ...(uncatalogued.length > 0 ? { uncatalogued } : {}),
    code: input.codeVersion ? { version: input.codeVersion } : {},
    platform_version: input.platformVersion,
    launcher: SESSION_LAUNCHER,
  };
}
