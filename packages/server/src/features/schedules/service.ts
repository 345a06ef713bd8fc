/**
 * @module Scheduled changes (issue 19): schedule an activation, a rollback or a staged rollout for
 * a time in a time zone; list and cancel them; and, when their time comes, carry them out (the
 * rollout driver's tick calls executeDue on every replica; the row, claimed in the change's own
 * transaction, lets exactly one do it). Judged again then, as whoever scheduled it: a freeze,
 * another version active by then, a refusal of any kind ends it `refused`, audited and alerted;
 * one that needs approval by then becomes a change request, and on-call hears that too.
 */
import { randomUUID } from "node:crypto";
import { type Role, rolloutRequest, type ScheduledChangeView, type ScheduleRequest, stepWorkers } from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import { DateTime } from "luxon";
import { type Actor, actorMay, systemActor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, ProblemError } from "../../http/errors.js";
import { previousVersion } from "../activation/service.js";
import type { Alerts } from "../alerts/webhook.js";
import type { ChangeRequestService } from "../change-requests/service.js";
import { configStore } from "../configs/store.js";
import type { Environments } from "../environments/environments.js";
import {
  AlreadyEndedError,
  scheduleCancelChange,
  scheduleCreateChange,
  scheduledExecution,
  scheduleOutcomeChange,
  scheduleRefuseChange,
} from "./change.js";
import { type ScheduledRow, scheduledView, scheduleStore } from "./store.js";

/** The instant `at` names: with its own offset, or a wall-clock time in `zone`. */
export function scheduledInstant(at: string, zone: string): Date {
  if (!DateTime.local().setZone(zone).isValid)
    throw InvalidInputError.field(
      "body",
      "time_zone",
      `"${zone}" is not an IANA time zone (e.g. Europe/London, Asia/Tokyo)`,
    );
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(at);
  const instant = hasOffset ? DateTime.fromISO(at, { setZone: true }) : DateTime.fromISO(at, { zone });
  if (!instant.isValid)
    throw InvalidInputError.field("body", "at", `"${at}" is not a time: ${instant.invalidExplanation}`);
  return instant.toJSDate();
}

export function scheduleServiceFactory(deps: {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  alerts: Alerts;
  /** Change requests scheduled to apply at a time: read when scheduled, applied then. */
  changeRequests: Pick<ChangeRequestService, "show" | "applyScheduled">;
  log: () => FastifyBaseLogger | undefined;
}) {
  const { db, changes, environments, alerts } = deps;
  const system = systemActor("scheduler");

  /** Who scheduled it, kept so that it acts as them (as they may act then: see actorNow). */
  const storedActor = (actor: Actor) => ({
    name: actor.name,
    kind: actor.kind,
    roles: [...actor.roles],
    environments: actor.environments ? [...actor.environments] : null,
    person: actor.person,
  });

  async function create(request: ScheduleRequest, actor: Actor): Promise<ScheduledChangeView> {
    const runAt = scheduledInstant(request.at, request.time_zone);
    if (runAt.getTime() <= Date.now())
      throw InvalidInputError.field("body", "at", `${runAt.toISOString()} is past: a scheduled change runs later`);
    const local = DateTime.fromJSDate(runAt, { zone: request.time_zone }).toFormat("yyyy-LL-dd HH:mm ZZZZ");
    const common = {
      id: randomUUID(),
      run_at: runAt,
      time_zone: request.time_zone,
      actor: storedActor(actor),
      created_by: actor.name,
    };
    if (request.kind === "change_request") {
      const id = request.change_request_id as number;
      const cr = await deps.changeRequests.show(id);
      if (cr.status !== "pending")
        throw new ConflictError(`change request ${id} is ${cr.status}: nothing to apply later`);
      if (Date.parse(cr.expires_at) <= runAt.getTime())
        throw InvalidInputError.field(
          "body",
          "at",
          `change request ${id} expires at ${cr.expires_at}, before ${runAt.toISOString()}`,
        );
      const environment = cr.environment ?? cr.environments[0];
      if (!environment)
        throw new ConflictError(`change request ${id} concerns every environment: it cannot be scheduled`);
      const row = {
        ...common,
        kind: request.kind,
        environment,
        strategy_name: cr.strategy_name,
        config_id: cr.config_id,
        change_request_id: id,
        expected_active: null,
        rollout: null,
        summary: `apply change request ${id} (${cr.summary}) once approved, at ${local}`,
      };
      mustApply(await changes.commitChange(actor, scheduleCreateChange(row)));
      return get(row.id);
    }
    const strategy = request.strategy as string;
    const environment = environments.resolve(request.environment, { location: "body", field: "environment" });
    if (request.kind === "rollout") {
      // The rollout's own rules (shares only grow), checked now rather than at its time.
      const checked = rolloutRequest.safeParse({
        strategy,
        environment,
        config_id: request.config_id,
        steps: request.steps,
        guards: request.guards ?? [],
      });
      if (!checked.success)
        throw InvalidInputError.of(
          checked.error.issues.map((i) => ({ field: i.path.join("."), location: "body" as const, message: i.message })),
        );
    }
    const configs = configStore(db);
    const active = await configs.openActivation(strategy, environment);
    let configId = request.config_id ?? "";
    if (request.kind === "rollback") {
      if (!active) throw new ConflictError(`${strategy} has no active version in ${environment}: nothing to roll back`);
      configId = await previousVersion(db, strategy, environment, active.config_id);
    } else {
      const version = await configs.findByConfigId(strategy, configId);
      if (!version) throw new NotFoundError(`strategy "${strategy}" has no config version "${configId}"`);
    }
    const what =
      request.kind === "rollout"
        ? `roll out ${configId} of ${strategy} in ${environment} (${(request.steps ?? []).map(stepWorkers).join(", then ")})`
        : request.kind === "rollback"
          ? `roll ${strategy} in ${environment} back to ${configId}`
          : `activate ${configId} of ${strategy} in ${environment}`;
    const row = {
      ...common,
      kind: request.kind,
      environment,
      strategy_name: strategy,
      config_id: configId,
      change_request_id: null,
      expected_active: active?.config_id ?? null,
      rollout: request.kind === "rollout" ? { steps: request.steps ?? [], guards: request.guards ?? [] } : null,
      summary: `${what} at ${local}`,
    };
    mustApply(await changes.commitChange(actor, scheduleCreateChange(row)));
    return get(row.id);
  }

  async function get(id: string): Promise<ScheduledChangeView> {
    const row = await scheduleStore(db).find(id);
    if (!row) throw new NotFoundError(`no scheduled change ${id}`);
    return scheduledView(row);
  }

  /**
   * Who scheduled it, as they may act now: a user disabled or a token revoked or expired since
   * cannot act any more, and a role taken away is taken away from what they scheduled too.
   */
  async function actorNow(row: ScheduledRow): Promise<Actor> {
    const stored = row.actor;
    let roles = stored.roles as Role[];
    let scope = stored.environments;
    if (stored.kind === "user") {
      const { rows } = await db.query<{ role: Role; disabled: boolean }>(
        "SELECT role, disabled FROM users WHERE username = $1",
        [stored.name],
      );
      const user = rows[0];
      if (!user || user.disabled) throw new ForbiddenError(`${stored.name}, who scheduled it, is disabled now`);
      roles = [user.role];
    } else if (stored.kind === "token") {
      const { rows } = await db.query<{ roles: Role[]; environments: string[] | null; live: boolean }>(
        "SELECT roles, environments, revoked_at IS NULL AND expires_at > now() AS live FROM service_tokens WHERE name = $1",
        [stored.name.replace(/^token:/, "")],
      );
      const token = rows[0];
      if (!token?.live) throw new ForbiddenError(`${stored.name}, which scheduled it, is revoked or expired now`);
      roles = token.roles;
      scope = token.environments;
    }
    const actor: Actor = {
      name: stored.name,
      kind: stored.kind as Actor["kind"],
      roles,
      environments: scope,
      person: stored.person,
      requestId: `schedule:${row.id}`,
      clientAddress: null,
    };
    const needs = row.kind === "rollout" ? "rollouts.start" : "configs.activate";
    if (!actorMay(actor, needs)) throw new ForbiddenError(`${stored.name}, who scheduled it, may no longer ${needs}`);
    return actor;
  }

  /** Carries one out as whoever scheduled it; a refusal ends it refused, loudly. */
  async function execute(row: ScheduledRow): Promise<void> {
    try {
      if (row.kind === "change_request") {
        // Its approvals carry the authority; the scheduler applies it (refused: too few, expired, stale).
        await deps.changeRequests.applyScheduled(Number(row.change_request_id), system, async (tx, record) => {
          if (!(await scheduleStore(tx).end(row.id, "done", "applied"))) throw new AlreadyEndedError();
          record.audit({
            action: "schedule.execute",
            target_type: "scheduled_change",
            target_id: row.id,
            environment: row.environment,
            details: { change_request_id: Number(row.change_request_id), summary: row.summary },
          });
        });
        return;
      }
      const actor = await actorNow(row);
      const outcome = await changes.commitChange(actor, scheduledExecution(row, randomUUID()));
      if (outcome.outcome !== "proposed") return;
      const told = `it needs approval by its time: change request ${outcome.change_request_id} waits for it`;
      mustApply(await changes.commitChange(system, scheduleOutcomeChange(row, told)));
      await alerts.announce({
        kind: "schedule_proposed",
        summary: `SCHEDULED CHANGE WAITS: ${row.summary}: ${told}`,
        scheduled_change_id: row.id,
        environment: row.environment,
        strategy: row.strategy_name,
        change_request_id: outcome.change_request_id,
      });
    } catch (error) {
      if (error instanceof AlreadyEndedError) return; // another replica carried it out, or it was cancelled
      // The database or another outage: tried again at the next tick.
      if (!(error instanceof ProblemError) || error.status >= 500) throw error;
      const reason = `refused at ${new Date().toISOString()}: ${error.message}`;
      if (!mustApply(await changes.commitChange(system, scheduleRefuseChange(row, reason)))) return;
      await alerts.announce({
        kind: "schedule_refused",
        summary: `SCHEDULED CHANGE REFUSED: ${row.summary}: ${error.message}`,
        scheduled_change_id: row.id,
        environment: row.environment,
        strategy: row.strategy_name,
        reason: error.message,
      });
    }
  }

  return {
    create,
    get,
    async list(filter: { environment?: string | undefined; state?: string | undefined; limit?: number | undefined }) {
      const environment = filter.environment === undefined ? undefined : environments.resolve(filter.environment);
      const rows = await scheduleStore(db).list({
        ...(environment ? { environment } : {}),
        ...(filter.state ? { state: filter.state } : {}),
        limit: filter.limit ?? 100,
      });
      return rows.map(scheduledView);
    },
    async cancel(id: string, reason: string, actor: Actor): Promise<ScheduledChangeView> {
      const row = await scheduleStore(db).find(id);
      if (!row) throw new NotFoundError(`no scheduled change ${id}`);
      mustApply(await changes.commitChange(actor, scheduleCancelChange(row, reason)));
      return get(id);
    },
    /** Every pending change whose time has come (each replica's driver calls it on its tick). */
    async executeDue(now = new Date()): Promise<void> {
      for (const row of await scheduleStore(db).due(now)) {
        try {
          await execute(row);
        } catch (error) {
          deps
            .log()
            ?.error({ err: error, scheduled_change_id: row.id }, "a scheduled change could not run; tried again");
        }
      }
    },
  };
}

export type ScheduleService = ReturnType<typeof scheduleServiceFactory>;
