/**
 * @module Environment base values and resolution: what a consumer of a strategy's config in an
 * environment gets, with the layer (and its revision or version) of every value. A required
 * parameter with no value in any layer is an error, never an undefined. Base values change through
 * the change kernel: judged on what they change in every strategy's resolved config there.
 */
import {
  diffValues,
  type EnvironmentBase,
  isAssigned,
  type JsonValue,
  leaves,
  parameterValueSchema,
  type ResolvedConfig,
} from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import type { Change } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";
import { catalogStore } from "../catalog/store.js";
import { configStore } from "../configs/store.js";
import type { Environments } from "../environments/environments.js";
import type { Reader, RolloutBook } from "../rollouts/book.js";
import { latestBase } from "./layers.js";
import { resolveStrategy, resolveVersionOf } from "./resolve.js";
import type { ResolvedCache } from "./resolved-cache.js";

/** Values of catalog parameters must be valid for them; deprecated parameters and values are refused. */
async function checkBaseValues(q: Queryable, values: Record<string, unknown>): Promise<void> {
  const parameters = await catalogStore(q).parameters();
  // A catalogued name is a leaf: its whole value is checked (an object under an enum, a whole ROI table).
  const opaque = new Set(parameters.map((p) => p.name));
  const errors: { field: string; location: "body"; message: string }[] = [];
  for (const [path, value] of leaves(values, opaque)) {
    const p = parameters.find((x) => x.name === path);
    if (!p) continue; // base values may carry settings the catalog does not describe yet
    // The catalog's one validator of a value: type, bounds, a deprecated parameter or value.
    const result = parameterValueSchema(p).safeParse(value);
    if (!result.success)
      errors.push({ field: `values.${path}`, location: "body", message: result.error.issues[0]?.message ?? "invalid" });
  }
  if (errors.length > 0) throw InvalidInputError.of(errors);
}

export function resolutionServiceFactory({
  db,
  environments,
  resolved,
  rolloutBook,
  changes,
}: {
  db: Queryable;
  environments: Environments;
  resolved: ResolvedCache;
  rolloutBook: RolloutBook;
  changes: ChangeKernel;
}) {
  /** Replacing an environment's base values (a new revision): what a change request holds. */
  const baseChange = (environment: string, values: Record<string, unknown>, freezeOverrideReason?: string) =>
    ({
      what: `the base values of ${environment}`,
      event: "environment_base",
      affects: [{ environment }],
      freezeOverrideReason,
      async work(tx, record) {
        // Checked again here: a change request applies them under the catalog of that moment.
        await checkBaseValues(tx, values);
        const previous = (await latestBase(tx, environment)) ?? null;
        const revision = (previous?.revision ?? 0) + 1;
        const before = (previous?.base_values as Record<string, unknown>) ?? {};
        await tx.query(
          "INSERT INTO environment_bases (environment, revision, base_values, created_by) VALUES ($1, $2, $3::jsonb, $4)",
          [environment, revision, JSON.stringify(values), record.actor.name],
        );
        const diff = diffValues(before, values);
        record.audit({
          action: "environment.set_base",
          target_type: "environment_base",
          target_id: `${environment}/${revision}`,
          environment,
          details: { diff },
        });
        return { diff };
      },
      propose: ({ diff }) => ({
        kind: "environment_base",
        command: { name: "environment_base", payload: { environment, values } as JsonValue },
        summary: `replace the base values of ${environment}`,
        environment,
        diff,
      }),
    }) satisfies Change<{ diff: ReturnType<typeof diffValues> }>;

  changes.registerCommand("environment_base", (payload) => {
    const { environment, values } = payload as { environment: string; values: Record<string, unknown> };
    return baseChange(environment, values) as Change<unknown>;
  });

  async function getBase(requested: string): Promise<EnvironmentBase> {
    const environment = environments.resolve(requested);
    const row = await latestBase(db, environment);
    return {
      environment,
      revision: row?.revision ?? 0,
      values: row?.base_values ?? {},
      created_by: row?.created_by ?? null,
      created_at: row?.created_at.toISOString() ?? null,
    };
  }

  /** With each value's origin: of the rollout's version where one assigns the reader. */
  async function explained(strategy: string, environment: string, reader: Reader): Promise<ResolvedConfig> {
    const rollout = reader ? await rolloutBook.open(strategy, environment) : null;
    if (rollout && reader && isAssigned(rollout.id, rollout.assignment, reader)) {
      const version = await configStore(db).findByConfigId(strategy, rollout.config_id);
      if (version)
        return resolveVersionOf(
          db,
          strategy,
          environment,
          { config_id: version.config_id, config_data: version.config_data },
          true,
        );
    }
    return resolveStrategy(db, strategy, environment, true);
  }

  return {
    getBase,

    /**
     * Replaces the environment's base values (a new revision): applied, or proposed as a change
     * request where it changes what an approval-requiring environment resolves, or a critical value.
     */
    async putBase(requested: string, values: Record<string, unknown>, actor: Actor, freezeOverrideReason?: string) {
      const environment = environments.resolve(requested, { location: "path", field: "environment" });
      await checkBaseValues(db, values);
      const outcome = await changes.commitChange(actor, baseChange(environment, values, freezeOverrideReason));
      if (outcome.outcome === "proposed") return outcome;
      return { outcome: "applied" as const, base: await getBase(environment) };
    },

    /**
     * The resolved config, and `staleSeconds`: answered from memory while the database could not
     * confirm it (an outage). Not async: the poll path takes the cached promise as it is.
     */
    resolve(
      strategy: string,
      requested: string | undefined,
      explain: boolean,
      reader?: Reader,
    ): { config: Promise<ResolvedConfig>; staleSeconds: number | null } {
      const environment = environments.resolve(requested);
      // Provenance is not cached: it is asked for by people, not polled by workers.
      if (explain) return { config: explained(strategy, environment, reader), staleSeconds: null };
      // A worker a staged rollout may assign: its cohort's config, marked stale alike in an outage.
      if (reader) {
        const staleSeconds = resolved.staleness(strategy, environment);
        return { config: rolloutBook.resolveFor(strategy, environment, reader), staleSeconds };
      }
      const staleSeconds = resolved.staleness(strategy, environment);
      return { config: resolved.get(strategy, environment), staleSeconds };
    },
  };
}

export type ResolutionService = ReturnType<typeof resolutionServiceFactory>;
