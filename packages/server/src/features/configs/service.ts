/**
 * @module Config versions: create (content-addressed, deduplicated), list, show, deprecate,
 * purge (activation is features/activation). Every change goes through the change kernel; version
 * writes hold the strategy's row lock, so concurrent creates and activations of one strategy are
 * serialised.
 */
import {
  type ConfigVersion,
  type CreateConfigBody,
  contentHash,
  type JsonValue,
  type VersionStatus,
} from "@tradai/core";
import { type Actor, assertInScope, systemActor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, NotFoundError } from "../../http/errors.js";
import { validateConfig } from "../catalog/checks.js";
import type { Environments } from "../environments/environments.js";
import { writeVersion } from "./create-version.js";
import { configStore } from "./store.js";

export interface ConfigServiceDeps {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  deprecatedTtlDays: number;
}

export function configServiceFactory({ db, changes, environments, deprecatedTtlDays }: ConfigServiceDeps) {
  const read = configStore(db);

  async function mustShow(strategy: string, configId: string, environment: string): Promise<ConfigVersion> {
    const version = await read.versionIn(strategy, configId, environment);
    if (!version) {
      if (!(await read.strategyExists(strategy))) throw new NotFoundError(`unknown strategy "${strategy}"`);
      throw new NotFoundError(`strategy "${strategy}" has no config version "${configId}"`);
    }
    return version;
  }

  return {
    /** Returns the existing live version when identical content exists (`deduplicated: true`). */
    async create(
      input: CreateConfigBody,
      actor: Actor,
      requestedEnvironment?: string,
    ): Promise<{ version: ConfigVersion; deduplicated: boolean }> {
      const environment = environments.resolve(requestedEnvironment);
      // Content the catalog refuses is refused even when identical content was stored earlier.
      const catalogRevision = await validateConfig(db, input.strategy_name, input.config_data);
      // Fast path without a transaction: identical content is the common case for scripts that
      // re-submit. A miss is checked again under the strategy's lock.
      const known = await read.findLiveByHash(input.strategy_name, contentHash(input.config_data as JsonValue));
      if (known) {
        return { version: await mustShow(input.strategy_name, known.config_id, environment), deduplicated: true };
      }
      const { version, deduplicated } = mustApply(
        await changes.commitChange(actor, {
          what: `a new version of ${input.strategy_name}`,
          work: (tx, record) => writeVersion(tx, record, input, catalogRevision),
        }),
      );
      return { version: await mustShow(input.strategy_name, version.config_id, environment), deduplicated };
    },

    async list(
      strategy: string,
      query: { environment?: string | undefined; status?: VersionStatus | undefined; limit: number; offset: number },
    ) {
      const environment = environments.resolve(query.environment);
      if (!(await read.strategyExists(strategy))) throw new NotFoundError(`unknown strategy "${strategy}"`);
      const { items, total } = await read.listIn(strategy, environment, query);
      const next = query.offset + items.length;
      return {
        strategy_name: strategy,
        environment,
        items,
        total,
        limit: query.limit,
        offset: query.offset,
        next_offset: next < total ? next : null,
      };
    },

    show(strategy: string, configId: string, requestedEnvironment?: string): Promise<ConfigVersion> {
      return mustShow(strategy, configId, environments.resolve(requestedEnvironment));
    },

    /**
     * Explicit deprecation: terminal in every environment. Refused while the version is active in
     * any environment (naming them): no write leaves an environment with nothing to resolve, so the
     * operator first activates another version there, or rolls back.
     */
    async deprecate(
      strategy: string,
      configId: string,
      actor: Actor,
      reason: string | undefined,
      requestedEnvironment?: string,
    ): Promise<{ version: ConfigVersion; changed: boolean }> {
      const environment = environments.resolve(requestedEnvironment);
      assertInScope(actor, environment);
      const changed = mustApply(
        await changes.commitChange(actor, {
          what: `deprecating ${configId} of ${strategy}`,
          async work(tx, record) {
            const store = configStore(tx);
            const at = await store.lockStrategy(strategy);
            if (!at) throw new NotFoundError(`unknown strategy "${strategy}"`);
            const version = await store.findByConfigId(strategy, configId);
            if (!version) throw new NotFoundError(`strategy "${strategy}" has no config version "${configId}"`);
            if (version.deprecated_at) return false;
            const active = (await store.openActivationsOf(version.id)).map((a) => a.environment).sort();
            if (active.length > 0) {
              throw new ConflictError(
                `config version ${configId} of ${strategy} is active in ${active.join(", ")}; ` +
                  "deprecating it would leave nothing to resolve there: activate another version there first, or roll back",
              );
            }
            await store.deprecateVersion({
              id: version.id,
              by: record.actor.name,
              reason,
              ttlDays: deprecatedTtlDays,
              at,
            });
            record.audit({
              action: "config.deprecate",
              target_type: "config_version",
              target_id: `${strategy}/${configId}`,
              environment,
              details: { reason: reason ?? null },
            });
            return true;
          },
        }),
      );
      return { version: await mustShow(strategy, configId, environment), changed };
    },

    /** Each strategy with its active version in every environment the reader may see. */
    async listStrategies(scope: readonly string[] | null = null) {
      const visible = environments.names.filter((env) => scope === null || scope.includes(env));
      const items = await read.strategySummaries();
      return {
        environments: visible,
        items: items.map((s) => ({
          ...s,
          active: Object.fromEntries(visible.map((env) => [env, s.active[env] ?? null])),
        })),
      };
    },

    /** Removes explicitly deprecated versions past their purge time that no run references. */
    purgeExpired: async () =>
      mustApply(
        await changes.commitChange(systemActor("purge"), {
          what: "the purge of expired deprecated versions",
          async work(tx, record) {
            const purged = await configStore(tx).purgeExpired();
            for (const v of purged) {
              record.audit({
                action: "config.purge",
                target_type: "config_version",
                target_id: `${v.strategy_name}/${v.config_id}`,
              });
            }
            return purged;
          },
        }),
      ),
  };
}

export type ConfigService = ReturnType<typeof configServiceFactory>;
