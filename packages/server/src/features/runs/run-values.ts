/**
 * @module A run's values: the config version it names (an id or `ACTIVE`), the layers under it
 * (catalog defaults, environment base values), the request on top; then the checks every run
 * passes: the catalog's (the same validator as a config version's) and what the launcher needs.
 */
import {
  ACTIVE_ALIAS,
  type AllowDeprecated,
  mergeRunValues,
  type ProvenanceLayer,
  resolvedBacktestValues,
  type SubmitBacktestBody,
} from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../http/errors.js";
import { checkRunValues, type RunValuesVerdict } from "../catalog/checks.js";
import { configStore } from "../configs/store.js";
import { strategyLayers } from "../resolution/layers.js";

export interface BoundVersion {
  id: number;
  configId: string;
  hash: string;
  data: Record<string, unknown>;
}

export interface RunValues {
  values: Record<string, unknown>;
  provenance: Record<string, ProvenanceLayer>;
  /** top-level keys taken from the config version */
  merged: string[];
  version: BoundVersion | undefined;
  catalogRevision: number;
  baseRevision: number;
  verdict: RunValuesVerdict;
}

async function resolveVersion(
  q: Queryable,
  strategy: string,
  requested: string,
  environment: string,
  log: FastifyBaseLogger,
): Promise<BoundVersion> {
  const store = configStore(q);
  let configId = requested;
  if (requested === ACTIVE_ALIAS) {
    const active = await store.openActivation(strategy, environment);
    if (!active) {
      throw new ConflictError(
        `strategy "${strategy}" has no active config version in ${environment}; activate one or name a version explicitly`,
      );
    }
    configId = active.config_id;
    log.info(
      { strategy, environment, config_version_id: configId },
      `Resolved 'ACTIVE' to config version: ${configId}`,
    );
  }
  const version = await store.findByConfigId(strategy, configId);
  if (!version) throw new NotFoundError(`strategy "${strategy}" has no config version "${configId}"`);
  if (version.deprecated_at) {
    throw new ConflictError(`config version ${configId} of ${strategy} is deprecated and cannot be used for new runs`);
  }
  return { id: version.id, configId, hash: version.config_hash, data: version.config_data };
}

/** Where a value came from, for messages: " (from config version v3-...)", or how to give it. */
export function originOf(provenance: Record<string, string>, versionId: string | undefined) {
  const ORIGINS: Record<string, string> = {
    config_version: ` (from config version ${versionId})`,
    catalog_default: " (the catalog's default)",
    environment_base: " (from the environment's base values)",
    request: "",
  };
  return (path: string): string => {
    const top = path.split(".")[0] ?? "";
    const layer =
      provenance[path] ??
      provenance[top] ??
      Object.entries(provenance).find(([p]) => p.startsWith(`${path}.`) || path.startsWith(`${p}.`))?.[1];
    return layer
      ? (ORIGINS[layer] ?? "")
      : ` (missing: give it in the request${versionId ? ` or in config version ${versionId}` : " or bind a config version that has it"})`;
  };
}

/** 422 naming each missing or invalid setting the launcher needs, and where it came from. */
function checkSettings(values: Record<string, unknown>, origin: (path: string) => string): void {
  const parsed = resolvedBacktestValues.safeParse(values);
  if (parsed.success) return;
  const errors = parsed.error.issues.map((issue) => ({
    field: `config.${issue.path.join(".")}`,
    location: "body" as const,
    message: `${issue.message}${origin(String(issue.path[0] ?? ""))}`,
  }));
  throw InvalidInputError.of(errors);
}

/** Deprecated values may run only where the request names their parameter, and each one named must be used. */
function checkAllowances(verdict: RunValuesVerdict, allow: AllowDeprecated | undefined): void {
  if (!allow) return;
  const used = new Set(verdict.deprecated.map((d) => d.key));
  const errors = allow.keys
    .map((key, i) => ({ key, i }))
    .filter(({ key }) => !used.has(key))
    .map(({ key, i }) => ({
      field: `allow_deprecated.keys[${i}]`,
      location: "body" as const,
      message: `${key} has no deprecated value in this run: nothing to allow`,
    }));
  if (errors.length > 0) throw InvalidInputError.of(errors);
}

/** Sets `path` (dotted) in a copy of `values`, creating objects on the way. */
function withValueAt(values: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".") as [string, ...string[]];
  if (rest.length === 0) return { ...values, [head]: value };
  const inner = values[head];
  const node =
    typeof inner === "object" && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...values, [head]: withValueAt(node, rest.join("."), value) };
}

/**
 * The values a new run would use, checked. `point` (a sweep's grid point, by dotted name) sets
 * single values on top of everything, keeping the rest of an object parameter from the layers.
 * @throws InvalidInputError, NotFoundError, ConflictError
 */
export async function runValues(
  q: Queryable,
  body: Pick<SubmitBacktestBody, "config" | "allow_deprecated">,
  environment: string,
  log: FastifyBaseLogger,
  point: Record<string, unknown> = {},
): Promise<RunValues> {
  const { config } = body;
  const version = config.config_version_id
    ? await resolveVersion(q, config.strategy, config.config_version_id, environment, log)
    : undefined;
  const under = await strategyLayers(q, config.strategy, environment);
  if (version) under.layers.push({ layer: "config_version", source: version.configId, values: version.data });
  const base = mergeRunValues(config, under.layers, under.opaque);
  let { values } = base;
  const { provenance, merged } = base;
  for (const [path, value] of Object.entries(point)) {
    values = withValueAt(values, path, value);
    provenance[path] = "request";
  }
  if (version) {
    log.info(
      { config_version_id: version.configId, merged },
      `Merged config_data defaults from ${version.configId}: [${merged.map((k) => `'${k}'`).join(", ")}]`,
    );
  }
  const origin = originOf(provenance, version?.configId);
  const verdict = await checkRunValues(q, config.strategy, values, origin, new Set(body.allow_deprecated?.keys ?? []));
  checkAllowances(verdict, body.allow_deprecated);
  checkSettings(values, origin);
  return {
    values,
    provenance,
    merged,
    version,
    catalogRevision: under.catalogRevision,
    baseRevision: under.baseRevision,
    verdict,
  };
}

/** What a reader of a run must be told of the deprecated values it uses. */
export function deprecationWarnings(verdict: RunValuesVerdict, why: string): string[] {
  return verdict.deprecated.map(
    (d) =>
      `${d.key} = ${JSON.stringify(d.value)} is deprecated (use ${JSON.stringify(d.replacement)}: ${d.reason}); ${why}`,
  );
}
