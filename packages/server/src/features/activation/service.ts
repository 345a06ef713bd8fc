/**
 * @module Asking for a version to be active in an environment: directly, by promotion from another
 * environment, or by restoring old content. The same path for all: the expected-active check
 * (412), the freeze check (423), the catalog checks, and then either the activation itself or,
 * when the environment requires approval or a critical parameter changes, a change request.
 */
import { approvalReasons, diffValues, touchedCriticalParameters } from "@tradai/core";
import type { Database } from "../../db/database.js";
import { ConflictError, NotFoundError, PreconditionFailedError } from "../../http/errors.js";
import type { Alerts } from "../alerts/webhook.js";
import { recordAudit } from "../audit/recorder.js";
import { type Actor, assertEnvironmentScope } from "../auth/actor.js";
import type { CatalogService } from "../catalog/service.js";
import { changeRequestStore } from "../change-requests/store.js";
import { configStore } from "../configs/store.js";
import type { EnvironmentField, Environments } from "../environments/environments.js";
import type { EnvironmentService, FreezeOverride } from "../environments/service.js";
import { applyActivation } from "./apply.js";

/** The catalog checks an activation needs. */
export type ActivationChecks = Pick<CatalogService, "checkActivation" | "criticalParameters">;

export interface ActivationDeps {
  db: Database;
  environments: Environments;
  environmentService: EnvironmentService;
  catalog?: ActivationChecks | undefined;
  protectedEnvironment: string;
  changeRequestTtlHours: number;
  /** Freeze overrides are announced here after they commit. */
  alerts?: Alerts | undefined;
}

export interface ActivationRequest {
  strategy: string;
  configId: string;
  environment?: string | undefined;
  /** Where the environment was named, for errors (default: the `environment` query parameter). */
  environmentField?: EnvironmentField | undefined;
  /** promotion: the environment the version must be active in now */
  from?: string | undefined;
  /** the config_id expected active now (null: none); undefined: not checked */
  expectedActive?: string | null | undefined;
  freezeOverrideReason?: string | undefined;
  actor: Actor;
}

export type ActivationOutcome =
  | { outcome: "applied"; environment: string; changed: boolean; previous_config_id: string | null }
  | { outcome: "change_request"; environment: string; change_request_id: number; created: boolean };

export function activationServiceFactory(deps: ActivationDeps) {
  const { db, environments, environmentService, catalog, protectedEnvironment } = deps;

  return {
    /**
     * Re-activates the version active before the current one in the environment (the newest one
     * it superseded that was not explicitly deprecated since), through the normal path.
     */
    async rollback(
      strategy: string,
      requestedEnvironment: string | undefined,
      actor: Actor,
      freezeOverrideReason?: string | undefined,
    ): Promise<ActivationOutcome & { config_id: string }> {
      const environment = environments.resolve(requestedEnvironment);
      const current = await configStore(db).openActivation(strategy, environment);
      if (!current)
        throw new ConflictError(`${strategy} has no active version in ${environment}: nothing to roll back`);
      const { rows } = await db.query<{ config_id: string }>(
        `SELECT a.config_id FROM activations a JOIN config_versions v ON v.id = a.config_version_id
         WHERE a.strategy_name = $1 AND a.environment = $2 AND a.superseded_by = $3 AND a.end_reason = 'superseded'
           AND v.deprecated_at IS NULL AND a.config_id <> $3
         ORDER BY a.id DESC LIMIT 1`,
        [strategy, environment, current.config_id],
      );
      const previous = rows[0]?.config_id;
      if (!previous) {
        throw new ConflictError(
          `${strategy} has no earlier version in ${environment} to roll back to from ${current.config_id}`,
        );
      }
      const outcome = await this.request({
        strategy,
        configId: previous,
        environment,
        expectedActive: current.config_id,
        freezeOverrideReason,
        actor,
      });
      return { ...outcome, config_id: previous };
    },

    async request(req: ActivationRequest): Promise<ActivationOutcome> {
      // A promotion names both environments in its body; an activation, in the query.
      const environment = environments.resolve(
        req.environment,
        req.from === undefined ? req.environmentField : { location: "body", field: "to" },
      );
      const from =
        req.from === undefined ? undefined : environments.resolve(req.from, { location: "body", field: "from" });
      const kind = from === undefined ? "activation" : "promotion";
      assertEnvironmentScope(req.actor, environment);
      let override: FreezeOverride | null = null;
      const outcome = await db.transaction(async (tx): Promise<ActivationOutcome> => {
        const store = configStore(tx);
        const at = await store.lockStrategy(req.strategy);
        if (!at) throw new NotFoundError(`unknown strategy "${req.strategy}"`);
        const version = await store.findByConfigId(req.strategy, req.configId);
        if (!version) throw new NotFoundError(`strategy "${req.strategy}" has no config version "${req.configId}"`);
        if (version.deprecated_at) {
          throw new ConflictError(
            `config version ${req.configId} of ${req.strategy} was explicitly deprecated and can never be activated again; create a new version`,
          );
        }
        const policy = await environmentService.policy(tx, environment);
        if (from !== undefined) {
          if (policy.promote_from !== from) {
            throw new ConflictError(
              policy.promote_from
                ? `${environment} is promoted to only from ${policy.promote_from}, not from ${from}`
                : `nothing is promoted to ${environment}; activate a version there instead`,
            );
          }
          const inSource = await store.openActivation(req.strategy, from);
          if (inSource?.config_id !== req.configId) {
            throw new ConflictError(
              `only the version active in ${from} can be promoted; active there: ${inSource?.config_id ?? "none"}`,
            );
          }
        }
        const current = await store.openActivation(req.strategy, environment);
        const currentId = current?.config_id ?? null;
        if (req.expectedActive !== undefined && req.expectedActive !== currentId) {
          throw new PreconditionFailedError(
            `expected ${req.expectedActive ?? "no version"} to be active in ${environment}, but ${currentId ?? "none"} is; reload and decide again`,
          );
        }
        if (current?.config_version_id === version.id) {
          return { outcome: "applied", environment, changed: false, previous_config_id: null };
        }
        const freezeOverride = await environmentService.checkFreeze(
          tx,
          environment,
          req.actor,
          req.freezeOverrideReason,
        );
        override = freezeOverride;
        // Refuse what could never be applied now, rather than ask someone to approve it.
        await catalog?.checkActivation(tx, {
          strategy: req.strategy,
          environment,
          configData: version.config_data,
          protectedEnvironment,
        });

        const before = current
          ? ((await store.findByConfigId(req.strategy, current.config_id))?.config_data ?? {})
          : {};
        const diff = diffValues(before, version.config_data);
        const critical = catalog ? await catalog.criticalParameters(tx, req.strategy) : [];
        const reasons = approvalReasons({
          environment,
          requiresApproval: policy.requires_approval,
          criticalTouched: touchedCriticalParameters(diff, critical),
        });
        if (reasons.length === 0) {
          await applyActivation(tx, {
            strategy: req.strategy,
            environment,
            version,
            current,
            actor: req.actor,
            at,
            kind,
            fromEnvironment: from ?? null,
            freezeOverride,
          });
          return { outcome: "applied", environment, changed: true, previous_config_id: currentId };
        }

        const requests = changeRequestStore(tx);
        const pending = await requests.findPending(req.strategy, environment, req.configId, kind);
        if (pending !== undefined) {
          return { outcome: "change_request", environment, change_request_id: pending, created: false };
        }
        const id = await requests.insert({
          kind,
          strategy: req.strategy,
          environment,
          fromEnvironment: from ?? null,
          versionId: version.id,
          configId: version.config_id,
          configHash: version.config_hash,
          catalogRevision: version.catalog_revision,
          baseConfigId: currentId,
          diff,
          reasons,
          approvalsRequired: policy.approvals_required,
          author: req.actor.name,
          ttlHours: deps.changeRequestTtlHours,
        });
        await recordAudit(tx, req.actor, {
          action: "change_request.create",
          target_type: "change_request",
          target_id: String(id),
          environment,
          after: {
            kind,
            strategy: req.strategy,
            config_id: version.config_id,
            config_hash: version.config_hash,
            base_config_id: currentId,
            reasons,
          },
          details: { diff, freeze_override: freezeOverride },
        });
        return { outcome: "change_request", environment, change_request_id: id, created: true };
      });
      const used = override as FreezeOverride | null;
      if (used && deps.alerts) {
        await deps.alerts.announce({
          kind: "freeze_override",
          summary: `${req.actor.name} overrode freeze window ${used.window_id} ("${used.window_reason}") of ${environment} for ${req.strategy} ${req.configId}: ${used.reason}`,
          environment,
          strategy: req.strategy,
          config_id: req.configId,
          actor: req.actor.name,
          ...used,
        });
      }
      return outcome;
    },
  };
}

export type ActivationService = ReturnType<typeof activationServiceFactory>;
