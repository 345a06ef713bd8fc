/**
 * @module Resolving a strategy's config in an environment: catalog defaults <- environment base <-
 * the active version, with provenance. Takes a Queryable so a transaction can resolve what it is
 * about to commit (the change kernel resolves every config a change may alter, before and after).
 */
import {
  catalogWarnings,
  contentHash,
  formatPath,
  type JsonValue,
  type ResolvedConfig,
  resolveLayers,
} from "@tradai/core";
import type { Pair, ResolutionInputs, ResolvedValues } from "../../changes/sources.js";
import { pairKey } from "../../changes/sources.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import { configStore } from "../configs/store.js";
import { type LayerSources, layersOf, loadLayerSources } from "./layers.js";

export interface ActiveVersion {
  config_id: string;
  config_data: Record<string, unknown>;
}

/** @throws ConflictError when nothing is active, or a required value is missing */
function resolveWith(
  sources: LayerSources,
  strategy: string,
  environment: string,
  version: ActiveVersion | undefined,
  explain: boolean,
): ResolvedConfig {
  if (!version) throw new ConflictError(`strategy "${strategy}" has no active config version in ${environment}`);
  const { layers, opaque, parameters } = layersOf(sources, strategy, environment);
  layers.push({ layer: "config_version", source: version.config_id, values: version.config_data });
  const resolved = resolveLayers(layers, opaque);
  const present = Object.keys(resolved.provenance);
  const missing = parameters
    .filter((p) => p.required && !present.some((path) => path === p.name || path.startsWith(`${p.name}.`)))
    .map((p) => formatPath(p.name.split(".")));
  if (missing.length > 0) {
    throw new ConflictError(
      `required parameters of ${strategy} have no value in any layer in ${environment}: ${missing.join(", ")}`,
    );
  }
  return {
    strategy,
    environment,
    config_version_id: version.config_id,
    resolved_hash: contentHash(resolved.values as JsonValue),
    values: resolved.values,
    ...(explain ? { provenance: resolved.provenance } : {}),
    // The catalog's warnings on what a worker would run (live workers refuse a config with any).
    warnings: catalogWarnings(sources.parameters, strategy, resolved.values),
  };
}

/** @throws ConflictError when nothing is active, or a required value is missing in every layer */
export async function resolveStrategy(
  q: Queryable,
  strategy: string,
  environment: string,
  explain: boolean,
): Promise<ResolvedConfig> {
  const store = configStore(q);
  const active = await store.openActivation(strategy, environment);
  if (!active) throw new ConflictError(`strategy "${strategy}" has no active config version in ${environment}`);
  const version = await store.findByConfigId(strategy, active.config_id);
  if (!version) throw new ConflictError(`the active version ${active.config_id} of ${strategy} is missing`);
  return resolveWith(await loadLayerSources(q, [environment]), strategy, environment, version, explain);
}

/** Resolves many pairs with one read of the catalog, one of each base and one of the active versions. */
export async function resolveMany(q: Queryable, pairs: readonly Pair[]): Promise<Map<string, ResolvedValues | null>> {
  const { rows } = await q.query<ActiveVersion & { strategy_name: string; environment: string }>(
    `SELECT a.strategy_name, a.environment, v.config_id, v.config_data
     FROM activations a JOIN config_versions v ON v.id = a.config_version_id
     WHERE a.ended_at IS NULL AND (a.strategy_name, a.environment) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [pairs.map((p) => p.strategy), pairs.map((p) => p.environment)],
  );
  const versions = new Map(rows.map((r) => [pairKey({ strategy: r.strategy_name, environment: r.environment }), r]));
  return resolvePinned(
    q,
    pairs.map((p) => ({ ...p, version: versions.get(pairKey(p)) })),
  );
}

/**
 * Resolves each pair with the version given (the active one, or a staged rollout's), with one read
 * of the catalog and one of each base. null: nothing resolves (no version, a required value missing).
 */
export async function resolvePinned(
  q: Queryable,
  items: readonly (Pair & { version: ActiveVersion | undefined })[],
): Promise<Map<string, ResolvedValues | null>> {
  const sources = await loadLayerSources(
    q,
    items.map((p) => p.environment),
  );
  const resolved = new Map<string, ResolvedValues | null>();
  for (const p of items) {
    const key = pairKey(p);
    try {
      const r = resolveWith(sources, p.strategy, p.environment, p.version, true);
      resolved.set(key, {
        config_id: r.config_version_id,
        resolved_hash: r.resolved_hash,
        values: r.values,
        version_values: (p.version as ActiveVersion).config_data,
        provenance: r.provenance ?? {},
        warnings: r.warnings ?? [],
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      resolved.set(key, null);
    }
  }
  return resolved;
}

/** A strategy's config as a given version (a staged rollout's) resolves in the environment. */
export async function resolveVersionOf(
  q: Queryable,
  strategy: string,
  environment: string,
  version: ActiveVersion,
  explain = false,
): Promise<ResolvedConfig> {
  return resolveWith(await loadLayerSources(q, [environment]), strategy, environment, version, explain);
}

/** What resolution depends on: the active versions, each base's revision, the catalog's revision. */
export async function resolutionInputs(q: Queryable): Promise<ResolutionInputs> {
  const active = await q.query<{ strategy_name: string; environment: string; config_version_id: number }>(
    "SELECT strategy_name, environment, config_version_id FROM activations WHERE ended_at IS NULL",
  );
  const bases = await q.query<{ environment: string; revision: number }>(
    "SELECT environment, max(revision) AS revision FROM environment_bases GROUP BY environment",
  );
  const catalog = await q.query<{ r: number }>("SELECT coalesce(max(revision), 0) AS r FROM catalog_revisions");
  const rollouts = await q.query<{ strategy_name: string; environment: string; at: string }>(
    "SELECT strategy_name, environment, id || ' ' || step || ' ' || state AS at FROM rollouts WHERE ended_at IS NULL",
  );
  return {
    active: new Map(
      active.rows.map((r) => [
        pairKey({ strategy: r.strategy_name, environment: r.environment }),
        Number(r.config_version_id),
      ]),
    ),
    baseRevisions: new Map(bases.rows.map((r) => [r.environment, Number(r.revision)])),
    catalogRevision: Number(catalog.rows[0]?.r ?? 0),
    rollouts: new Map(
      rollouts.rows.map((r) => [pairKey({ strategy: r.strategy_name, environment: r.environment }), r.at]),
    ),
  };
}
