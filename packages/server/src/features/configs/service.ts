/**
 * @module Config versions: create (content-addressed, deduplicated), list, show, deprecate,
 * purge (activation is features/activation). Every change runs in one transaction holding the strategy's row lock, so
 * concurrent creates and activations of one strategy are serialised.
 */
import {
  type ConfigVersion,
  type CreateConfigBody,
  contentHash,
  formatConfigId,
  type JsonValue,
  type VersionStatus,
} from "@tradai/core";
import type { Database } from "../../db/database.js";
import { ConflictError, NotFoundError } from "../../http/errors.js";
import { recordAudit } from "../audit/recorder.js";
import { type Actor, assertEnvironmentScope, systemActor } from "../auth/actor.js";
import type { CatalogService } from "../catalog/service.js";
import { trackStrategyChange } from "../distribution/events.js";
import type { Environments } from "../environments/environments.js";
import { configStore } from "./store.js";

export interface ConfigServiceDeps {
  db: Database;
  environments: Environments;
  /** Validates config data against the catalog; without it any content is accepted. */
  catalog?: Pick<CatalogService, "validateConfig">;
  deprecatedTtlDays: number;
}

export function configServiceFactory({ db, environments, catalog, deprecatedTtlDays }: ConfigServiceDeps) {
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
      const hash = contentHash(input.config_data as JsonValue);
      // Content the catalog refuses is refused even when identical content was stored earlier.
      const catalogRevision = (await catalog?.validateConfig(db, input.strategy_name, input.config_data)) ?? null;
      // Fast path without the strategy lock: identical content is the common case for scripts
      // that re-submit. A miss is re-checked under the lock below.
      const known = await read.findLiveByHash(input.strategy_name, hash);
      if (known) {
        return { version: await mustShow(input.strategy_name, known.config_id, environment), deduplicated: true };
      }
      const { configId, deduplicated } = await db.transaction(async (tx) => {
        const store = configStore(tx);
        const at = await store.lockOrCreateStrategy(input.strategy_name);
        const existing = await store.findLiveByHash(input.strategy_name, hash);
        if (existing) return { configId: existing.config_id, deduplicated: true };
        const versionNumber = await store.takeNextVersionNumber(input.strategy_name);
        const id = formatConfigId(versionNumber, hash);
        await store.insertVersion({
          strategy: input.strategy_name,
          versionNumber,
          configId: id,
          hash,
          data: input.config_data,
          description: input.description,
          createdBy: actor.name,
          createdAt: at,
          catalogRevision,
        });
        await recordAudit(tx, actor, {
          action: "config.create",
          target_type: "config_version",
          target_id: `${input.strategy_name}/${id}`,
          after: {
            strategy_name: input.strategy_name,
            config_id: id,
            config_hash: hash,
            config_data: input.config_data,
            description: input.description ?? null,
            catalog_revision: catalogRevision,
          },
        });
        return { configId: id, deduplicated: false };
      });
      return { version: await mustShow(input.strategy_name, configId, environment), deduplicated };
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
     * Explicit deprecation: terminal in every environment. When the version is active in the
     * environment named, that environment is left with no active version. It is refused while the
     * version is active in another environment, so a command aimed at one environment can never
     * take another one's configuration away.
     */
    async deprecate(
      strategy: string,
      configId: string,
      actor: Actor,
      reason: string | undefined,
      requestedEnvironment?: string,
    ): Promise<{ version: ConfigVersion; changed: boolean }> {
      const environment = environments.resolve(requestedEnvironment);
      assertEnvironmentScope(actor, environment);
      const changed = await db.transaction(async (tx) => {
        const store = configStore(tx);
        const at = await store.lockStrategy(strategy);
        if (!at) throw new NotFoundError(`unknown strategy "${strategy}"`);
        const version = await store.findByConfigId(strategy, configId);
        if (!version) throw new NotFoundError(`strategy "${strategy}" has no config version "${configId}"`);
        if (version.deprecated_at) return false;
        const open = await store.openActivationsOf(version.id);
        const elsewhere = open.filter((a) => a.environment !== environment).map((a) => a.environment);
        if (elsewhere.length > 0) {
          throw new ConflictError(
            `config version ${configId} of ${strategy} is active in ${elsewhere.join(", ")}; ` +
              `activate another version there first, or deprecate it there (environment ${elsewhere[0]})`,
          );
        }
        // Only the named environment can have it active (elsewhere was refused above).
        const recordEvent = open.length > 0 ? await trackStrategyChange(tx, strategy, environment) : undefined;
        for (const activation of open) {
          await store.endActivation(activation.id, { reason: "deprecated", supersededBy: null, by: actor.name, at });
        }
        await store.deprecateVersion({ id: version.id, by: actor.name, reason, ttlDays: deprecatedTtlDays, at });
        await recordEvent?.(actor, "deprecation");
        await recordAudit(tx, actor, {
          action: "config.deprecate",
          target_type: "config_version",
          target_id: `${strategy}/${configId}`,
          environment,
          before: { active_in: open.map((a) => a.environment) },
          details: { reason: reason ?? null },
        });
        return true;
      });
      return { version: await mustShow(strategy, configId, environment), changed };
    },

    async listStrategies() {
      const items = await read.strategySummaries();
      return {
        environments: [...environments.names],
        items: items.map((s) => ({
          ...s,
          active: Object.fromEntries(environments.names.map((env) => [env, s.active[env] ?? null])),
        })),
      };
    },

    /** Removes explicitly deprecated versions past their purge time that no run references. */
    purgeExpired: () =>
      db.transaction(async (tx) => {
        const purged = await configStore(tx).purgeExpired();
        for (const v of purged) {
          await recordAudit(tx, systemActor("purge"), {
            action: "config.purge",
            target_type: "config_version",
            target_id: `${v.strategy_name}/${v.config_id}`,
          });
        }
        return purged;
      }),
  };
}

export type ConfigService = ReturnType<typeof configServiceFactory>;
