/**
 * @module Environment base values and resolution: what a consumer of a strategy's config in an
 * environment gets, with the layer (and its revision or version) of every value. A required
 * parameter with no value in any layer is an error, never an undefined.
 */
import { changedKeys, diffValues, type EnvironmentBase, leaves, type ResolvedConfig, valueSchema } from "@tradai/core";
import type { Database } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";
import { recordAudit } from "../audit/recorder.js";
import { type Actor, assertEnvironmentScope } from "../auth/actor.js";
import { catalogStore } from "../catalog/store.js";
import { recordConfigEvent, reloadClasses } from "../distribution/events.js";
import type { Environments } from "../environments/environments.js";
import { latestBase } from "./layers.js";
import { resolveStrategy } from "./resolve.js";
import type { ResolvedCache } from "./resolved-cache.js";

export function resolutionServiceFactory({
  db,
  environments,
  resolved,
}: {
  db: Database;
  environments: Environments;
  resolved: ResolvedCache;
}) {
  return {
    async getBase(requested: string): Promise<EnvironmentBase> {
      const environment = environments.resolve(requested);
      const row = await latestBase(db, environment);
      return {
        environment,
        revision: row?.revision ?? 0,
        values: row?.base_values ?? {},
        created_by: row?.created_by ?? null,
        created_at: row?.created_at.toISOString() ?? null,
      };
    },

    /** Replaces the environment's base values (a new revision); values of catalog parameters are checked. */
    async putBase(requested: string, values: Record<string, unknown>, actor: Actor): Promise<EnvironmentBase> {
      const environment = environments.resolve(requested);
      assertEnvironmentScope(actor, environment);
      const parameters = await catalogStore(db).parameters();
      const opaque = new Set(parameters.filter((p) => p.type === "json").map((p) => p.name));
      const errors: { field: string; location: "body"; message: string }[] = [];
      for (const [path, value] of leaves(values, opaque)) {
        const p = parameters.find((x) => x.name === path);
        if (!p) continue; // base values may carry settings the catalog does not describe yet
        if (p.deprecated)
          errors.push({
            field: `values.${path}`,
            location: "body",
            message: `${path} is deprecated${p.replacement ? `; use ${p.replacement} instead` : ""}`,
          });
        const result = valueSchema(p).safeParse(value);
        if (!result.success)
          errors.push({
            field: `values.${path}`,
            location: "body",
            message: result.error.issues[0]?.message ?? "invalid",
          });
      }
      if (errors.length > 0)
        throw new InvalidInputError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
      await db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('environment_base:' || $1))", [environment]);
        const previous = await latestBase(tx, environment);
        const current = previous?.revision ?? 0;
        await tx.query(
          "INSERT INTO environment_bases (environment, revision, base_values, created_by) VALUES ($1, $2, $3::jsonb, $4)",
          [environment, current + 1, JSON.stringify(values), actor.name],
        );
        await recordConfigEvent(tx, actor, {
          kind: "environment_base",
          environment,
          strategy: null,
          config_id: null,
          resolved_hash: null,
          changes: changedKeys(
            (previous?.base_values as Record<string, unknown>) ?? {},
            values,
            await reloadClasses(tx),
          ),
        });
        await recordAudit(tx, actor, {
          action: "environment.set_base",
          target_type: "environment_base",
          target_id: `${environment}/${current + 1}`,
          environment,
          details: { diff: diffValues((previous?.base_values as Record<string, unknown>) ?? {}, values) },
        });
      });
      return this.getBase(environment);
    },

    resolve(strategy: string, requested: string | undefined, explain: boolean): Promise<ResolvedConfig> {
      const environment = environments.resolve(requested);
      // Provenance is not cached: it is asked for by people, not polled by workers.
      return explain ? resolveStrategy(db, strategy, environment, true) : resolved.get(strategy, environment);
    },
  };
}

export type ResolutionService = ReturnType<typeof resolutionServiceFactory>;
