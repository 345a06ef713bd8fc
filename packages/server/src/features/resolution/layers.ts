/**
 * @module The layers under a strategy's config in an environment, as both resolution and run
 * submission use them: catalog defaults <- environment base values <- (a config version).
 */
import { appliesTo, type CatalogParameter, type Layer, nestDotted } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { catalogStore } from "../catalog/store.js";

export interface BaseRow {
  revision: number;
  base_values: Record<string, unknown>;
  created_by: string;
  created_at: Date;
}

export async function latestBase(q: Queryable, environment: string): Promise<BaseRow | undefined> {
  const { rows } = await q.query<BaseRow>(
    "SELECT revision, base_values, created_by, created_at FROM environment_bases WHERE environment = $1 ORDER BY revision DESC LIMIT 1",
    [environment],
  );
  return rows[0];
}

export interface StrategyLayers {
  /** catalog defaults, then the environment base; the caller adds the version (and the request) */
  layers: Layer[];
  /** catalogued names: each merged as a whole value, not key by key */
  opaque: Set<string>;
  /** parameters that apply to the strategy (deprecated ones left out) */
  parameters: CatalogParameter[];
  catalogRevision: number;
  baseRevision: number;
}

/** What the layers of any strategy in some environments are made of, read once. */
export interface LayerSources {
  parameters: CatalogParameter[];
  catalogRevision: number;
  bases: Map<string, BaseRow | undefined>;
}

export async function loadLayerSources(q: Queryable, environments: Iterable<string>): Promise<LayerSources> {
  const catalog = catalogStore(q);
  const bases = new Map<string, BaseRow | undefined>();
  for (const env of new Set(environments)) bases.set(env, await latestBase(q, env));
  return { parameters: await catalog.parameters(), catalogRevision: await catalog.currentRevision(), bases };
}

export function layersOf(sources: LayerSources, strategy: string, environment: string): StrategyLayers {
  const parameters = sources.parameters.filter((p) => appliesTo(p, strategy) && !p.deprecated);
  const base = sources.bases.get(environment);
  const defaults = Object.fromEntries(
    parameters.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]),
  );
  return {
    layers: [
      {
        layer: "catalog_default",
        source: `catalog revision ${sources.catalogRevision}`,
        values: nestDotted(defaults),
      },
      {
        layer: "environment_base",
        source: `${environment} base revision ${base?.revision ?? 0}`,
        values: base?.base_values ?? {},
      },
    ],
    // A catalogued name is a leaf: a higher layer replaces its value whole (an ROI table is not merged key by key).
    opaque: new Set(parameters.map((p) => p.name)),
    parameters,
    catalogRevision: sources.catalogRevision,
    baseRevision: base?.revision ?? 0,
  };
}

export async function strategyLayers(q: Queryable, strategy: string, environment: string): Promise<StrategyLayers> {
  return layersOf(await loadLayerSources(q, [environment]), strategy, environment);
}
