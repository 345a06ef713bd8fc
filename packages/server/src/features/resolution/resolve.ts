/**
 * @module Resolving a strategy's config in an environment: catalog defaults <- environment base <-
 * the active version, with provenance. Takes a Queryable so a transaction can resolve what it is
 * about to commit (the change feed records the resolved hash of each change).
 */
import { contentHash, formatPath, type JsonValue, type ResolvedConfig, resolveLayers } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import { configStore } from "../configs/store.js";
import { strategyLayers } from "./layers.js";

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
  const { layers, opaque, parameters } = await strategyLayers(q, strategy, environment);
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
  };
}

/** The resolved config, or null when there is none (nothing active, or a required value missing). */
export async function resolvedOrNull(
  q: Queryable,
  strategy: string,
  environment: string,
): Promise<ResolvedConfig | null> {
  try {
    return await resolveStrategy(q, strategy, environment, false);
  } catch (error) {
    if (error instanceof ConflictError) return null;
    throw error;
  }
}
