/**
 * @module Four eyes: approvers other than the author approve (applied atomically once enough
 * have) or reject (one rejection closes it); an admin may break glass where the environment's
 * policy allows. A request applies exactly the content it names, onto exactly the version that
 * was active when it was proposed; if another one is active now, the request is stale (409).
 */
import type { ChangeRequest, ChangeRequestStatus } from "@tradai/core";
import type { Database, Queryable } from "../../db/database.js";
import { ConflictError, ForbiddenError, NotFoundError, StaleError } from "../../http/errors.js";
import { applyActivation } from "../activation/apply.js";
import type { ActivationChecks } from "../activation/service.js";
import type { Alerts } from "../alerts/webhook.js";
import { recordAudit } from "../audit/recorder.js";
import { type Actor, assertEnvironmentScope } from "../auth/actor.js";
import { configStore } from "../configs/store.js";
import type { EnvironmentService, FreezeOverride } from "../environments/service.js";
import { type ChangeRequestRow, changeRequestStore } from "./store.js";

export interface ChangeRequestDeps {
  db: Database;
  environmentService: EnvironmentService;
  catalog?: ActivationChecks | undefined;
  protectedEnvironment: string;
  alerts: Alerts;
}

type Closing = { stale: string } | { done: true };

export function changeRequestServiceFactory(deps: ChangeRequestDeps) {
  const { db, environmentService } = deps;
  const read = changeRequestStore(db);

  async function mustView(id: number): Promise<ChangeRequest> {
    const found = await read.view(id);
    if (!found) throw new NotFoundError(`no change request ${id}`);
    return found;
  }

  /** Locks the request; it must be pending. An expired one is closed as such (kept after the 409). */
  async function lockPending(tx: Queryable, id: number, actor: Actor): Promise<ChangeRequestRow | { expired: true }> {
    const cr = await changeRequestStore(tx).get(id, true);
    if (!cr) throw new NotFoundError(`no change request ${id}`);
    assertEnvironmentScope(actor, cr.environment);
    if (cr.stored_status === "pending" && cr.status === "expired") {
      await changeRequestStore(tx).close(id, "expired", "system");
      await recordAudit(tx, actor, {
        action: "change_request.expire",
        target_type: "change_request",
        target_id: String(id),
        environment: cr.environment,
      });
      return { expired: true };
    }
    if (cr.status !== "pending")
      throw new ConflictError(`change request ${id} is ${cr.status}; nothing can be done with it any more`);
    return cr;
  }

  /** Applies the request's activation, or closes it as stale when what it was based on changed. */
  async function apply(
    tx: Queryable,
    cr: ChangeRequestRow,
    actor: Actor,
    how: { freezeOverride: FreezeOverride | null; breakGlassReason?: string },
  ): Promise<Closing> {
    const id = Number(cr.id);
    const store = configStore(tx);
    const at = (await store.lockStrategy(cr.strategy_name)) as Date;
    const current = await store.openActivation(cr.strategy_name, cr.environment);
    const version = await store.findByConfigId(cr.strategy_name, cr.config_id);
    const inSource = cr.from_environment
      ? await store.openActivation(cr.strategy_name, cr.from_environment)
      : undefined;
    const problem =
      (current?.config_id ?? null) !== cr.base_config_id
        ? `${cr.environment} now runs ${current?.config_id ?? "no version"}, not ${cr.base_config_id ?? "no version"} as when it was proposed`
        : !version || version.deprecated_at || version.config_hash !== cr.config_hash
          ? `version ${cr.config_id} is no longer available as proposed`
          : cr.from_environment && inSource?.config_id !== cr.config_id
            ? `${cr.config_id} is no longer active in ${cr.from_environment}`
            : null;
    if (problem || !version) {
      await changeRequestStore(tx).close(id, "stale", actor.name);
      await recordAudit(tx, actor, {
        action: "change_request.stale",
        target_type: "change_request",
        target_id: String(id),
        environment: cr.environment,
        details: { problem },
      });
      return { stale: `change request ${id} is stale: ${problem}; propose it again` };
    }
    // The catalog may have changed since the request was made: check again before applying.
    await deps.catalog?.checkActivation(tx, {
      strategy: cr.strategy_name,
      environment: cr.environment,
      configData: version.config_data,
      protectedEnvironment: deps.protectedEnvironment,
    });
    await applyActivation(tx, {
      strategy: cr.strategy_name,
      environment: cr.environment,
      version,
      current,
      actor,
      at,
      kind: cr.kind,
      fromEnvironment: cr.from_environment,
      changeRequestId: id,
      freezeOverride: how.freezeOverride,
      breakGlassReason: how.breakGlassReason ?? null,
    });
    await changeRequestStore(tx).close(id, "applied", actor.name, how.breakGlassReason);
    return { done: true };
  }

  /** Runs a decision in one transaction; a stale or expired outcome commits, then answers 409. */
  async function decide(
    id: number,
    fn: (tx: Queryable) => Promise<Closing | { expired: true }>,
  ): Promise<ChangeRequest> {
    const closing = await db.transaction(fn);
    if ("stale" in closing) throw new StaleError(closing.stale);
    if ("expired" in closing) throw new ConflictError(`change request ${id} has expired; propose it again`);
    return mustView(id);
  }

  return {
    list: (q: {
      status?: ChangeRequestStatus | undefined;
      strategy?: string | undefined;
      environment?: string | undefined;
      limit: number;
      offset: number;
    }) =>
      read.list(q).then(({ items, total }) => {
        const next = q.offset + items.length;
        return { items, total, limit: q.limit, offset: q.offset, next_offset: next < total ? next : null };
      }),

    show: mustView,

    approve(id: number, actor: Actor, comment: string | undefined, freezeOverrideReason: string | undefined) {
      return decide(id, async (tx) => {
        const cr = await lockPending(tx, id, actor);
        if ("expired" in cr) return cr;
        if (cr.author === actor.name)
          throw new ForbiddenError(`${actor.name} proposed change request ${id} and cannot approve it`);
        const requests = changeRequestStore(tx);
        if (await requests.hasReviewed(id, actor.name))
          throw new ConflictError(`${actor.name} has already approved change request ${id}`);
        const freezeOverride = await environmentService.checkFreeze(tx, cr.environment, actor, freezeOverrideReason);
        await requests.insertReview({ id, reviewer: actor.name, decision: "approve", comment: comment ?? null });
        await recordAudit(tx, actor, {
          action: "change_request.approve",
          target_type: "change_request",
          target_id: String(id),
          environment: cr.environment,
          details: { comment: comment ?? null, freeze_override: freezeOverride },
        });
        if ((await requests.approvals(id)) < cr.approvals_required) return { done: true };
        return apply(tx, cr, actor, { freezeOverride });
      });
    },

    reject(id: number, actor: Actor, comment: string) {
      return decide(id, async (tx) => {
        const cr = await lockPending(tx, id, actor);
        if ("expired" in cr) return cr;
        if (cr.author === actor.name)
          throw new ForbiddenError(`${actor.name} proposed change request ${id} and cannot review it`);
        await changeRequestStore(tx).insertReview({ id, reviewer: actor.name, decision: "reject", comment });
        await changeRequestStore(tx).close(id, "rejected", actor.name);
        await recordAudit(tx, actor, {
          action: "change_request.reject",
          target_type: "change_request",
          target_id: String(id),
          environment: cr.environment,
          details: { comment },
        });
        return { done: true };
      });
    },

    async breakGlass(id: number, actor: Actor, reason: string, freezeOverrideReason: string | undefined) {
      let environment = "";
      const view = await decide(id, async (tx) => {
        const cr = await lockPending(tx, id, actor);
        if ("expired" in cr) return cr;
        environment = cr.environment;
        const policy = await environmentService.policy(tx, cr.environment);
        if (!policy.break_glass_allowed) {
          throw new ForbiddenError(`the policy of ${cr.environment} does not allow break-glass; get the approvals`);
        }
        const freezeOverride = await environmentService.checkFreeze(tx, cr.environment, actor, freezeOverrideReason);
        await recordAudit(tx, actor, {
          action: "change_request.break_glass",
          target_type: "change_request",
          target_id: String(id),
          environment: cr.environment,
          details: { reason, freeze_override: freezeOverride },
        });
        return apply(tx, cr, actor, { freezeOverride, breakGlassReason: reason });
      });
      await deps.alerts.announce({
        kind: "break_glass",
        summary: `${actor.name} applied change request ${id} (${view.strategy_name} ${view.config_id} in ${environment}) without approval: ${reason}`,
        change_request_id: id,
        strategy: view.strategy_name,
        config_id: view.config_id,
        environment,
        actor: actor.name,
        reason,
      });
      return view;
    },
  };
}

export type ChangeRequestService = ReturnType<typeof changeRequestServiceFactory>;
