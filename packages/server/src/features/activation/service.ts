/**
 * @module Asking for a version to be active in an environment: directly, by promotion from another
 * environment, by rolling back, or by restoring content the audit trail recorded. Each is one
 * governed change (see change.ts): applied at once, or proposed as a change request.
 */
import type { Actor } from "../../changes/actor.js";
import type { Change, Committed } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../http/errors.js";
import { auditStore } from "../audit/store.js";
import { validateConfig } from "../catalog/checks.js";
import { writeVersion } from "../configs/create-version.js";
import { configStore } from "../configs/store.js";
import type { EnvironmentField, Environments } from "../environments/environments.js";
import { type ActivationCommand, type ActivationResult, activationChange } from "./change.js";

export interface ActivationDeps {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
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
  | { outcome: "applied"; environment: string; changed: boolean; previous_config_id: string | null; config_id: string }
  | { outcome: "change_request"; environment: string; change_request_id: number; created: boolean; config_id: string };

const answer = (environment: string, committed: Committed<ActivationResult>, configId: string): ActivationOutcome =>
  committed.outcome === "proposed"
    ? {
        outcome: "change_request",
        environment,
        change_request_id: committed.change_request_id,
        created: committed.created,
        config_id: configId,
      }
    : {
        outcome: "applied",
        environment,
        changed: committed.result.changed,
        previous_config_id: committed.result.previous_config_id,
        config_id: committed.result.version.config_id,
      };

/**
 * The version a rollback goes to: the newest one `current` superseded in the environment that was
 * not explicitly deprecated since. @throws ConflictError when there is none
 */
export async function previousVersion(
  q: Queryable,
  strategy: string,
  environment: string,
  current: string,
): Promise<string> {
  const { rows } = await q.query<{ config_id: string }>(
    `SELECT a.config_id FROM activations a JOIN config_versions v ON v.id = a.config_version_id
     WHERE a.strategy_name = $1 AND a.environment = $2 AND a.superseded_by = $3 AND a.end_reason = 'superseded'
       AND v.deprecated_at IS NULL AND a.config_id <> $3
     ORDER BY a.id DESC LIMIT 1`,
    [strategy, environment, current],
  );
  const previous = rows[0]?.config_id;
  if (!previous)
    throw new ConflictError(`${strategy} has no earlier version in ${environment} to roll back to from ${current}`);
  return previous;
}

export function activationServiceFactory(deps: ActivationDeps) {
  const { db, changes, environments } = deps;
  const fixed = (c: ActivationCommand, freezeOverrideReason?: string) =>
    activationChange(() => c, { freezeOverrideReason, described: c });

  changes.registerCommand("activation", (payload) => fixed(payload as unknown as ActivationCommand) as Change<unknown>);

  async function request(req: ActivationRequest, via?: ActivationCommand["via"]): Promise<ActivationOutcome> {
    // A promotion names both environments in its body; an activation, in the query.
    const environment = environments.resolve(
      req.environment,
      req.from === undefined ? req.environmentField : { location: "body", field: "to" },
    );
    const from =
      req.from === undefined ? undefined : environments.resolve(req.from, { location: "body", field: "from" });
    const command: ActivationCommand = {
      strategy: req.strategy,
      config_id: req.configId,
      environment,
      from,
      expected_active: req.expectedActive,
      via: via ?? (from ? "promotion" : "activation"),
    };
    return answer(
      environment,
      await changes.commitChange(req.actor, fixed(command, req.freezeOverrideReason)),
      req.configId,
    );
  }

  return {
    request: (req: ActivationRequest) => request(req),

    /**
     * Re-activates the version active before the current one in the environment (the newest one
     * it superseded that was not explicitly deprecated since), through the normal path.
     */
    async rollback(strategy: string, requested: string | undefined, actor: Actor, freezeOverrideReason?: string) {
      const environment = environments.resolve(requested);
      const current = await configStore(db).openActivation(strategy, environment);
      if (!current)
        throw new ConflictError(`${strategy} has no active version in ${environment}: nothing to roll back`);
      const previous = await previousVersion(db, strategy, environment, current.config_id);
      return request(
        { strategy, configId: previous, environment, expectedActive: current.config_id, freezeOverrideReason, actor },
        "rollback",
      );
    },

    /**
     * Restore: the content a `config.create` audit entry recorded becomes active again, in one
     * change: the version (the same one while it is live, a new one when it was deprecated) and
     * its activation. Where approval is needed the version stays and the activation is proposed;
     * a refusal leaves nothing behind.
     */
    async restore(
      seq: number,
      actor: Actor,
      options: {
        environment?: string | undefined;
        expectedActive?: string | null | undefined;
        freezeOverrideReason?: string | undefined;
      },
    ): Promise<ActivationOutcome & { strategy: string }> {
      const environment = environments.resolve(options.environment, { location: "body", field: "environment" });
      const entry = await auditStore(db).get(seq);
      if (!entry) throw new NotFoundError(`no audit entry ${seq}`);
      const after = entry.after as { strategy_name?: unknown; config_data?: unknown; description?: unknown } | null;
      if (
        entry.action !== "config.create" ||
        typeof after?.strategy_name !== "string" ||
        typeof after.config_data !== "object"
      ) {
        throw InvalidInputError.field(
          "path",
          "seq",
          `audit entry ${seq} is a ${entry.action}, not a config.create: it holds no version content`,
        );
      }
      const strategy = after.strategy_name;
      const input = {
        strategy_name: strategy,
        config_data: after.config_data as Record<string, unknown>,
        description: `restored from audit entry ${seq}${typeof after.description === "string" ? `: ${after.description}` : ""}`,
      };
      const catalogRevision = await validateConfig(db, strategy, input.config_data);
      let configId = "";
      const command = (): ActivationCommand => ({
        strategy,
        config_id: configId,
        environment,
        expected_active: options.expectedActive,
        via: "restore",
      });
      const change = activationChange(command, {
        freezeOverrideReason: options.freezeOverrideReason,
        described: { strategy, config_id: `the content of audit entry ${seq}`, environment },
        async prepare(tx, record) {
          configId = (await writeVersion(tx, record, input, catalogRevision)).version.config_id;
        },
      });
      const committed = await changes.commitChange(actor, change);
      return { ...answer(environment, committed, configId), strategy };
    },
  };
}

export type ActivationService = ReturnType<typeof activationServiceFactory>;
