/**
 * @module Four eyes: people other than the author approve (the last approval needed carries the
 * change out, in the same transaction) or reject (one rejection closes it); an admin may break
 * glass where every environment the change touches allows it. A request carries out exactly the
 * change it holds, and only while that change still has the effect it was proposed with; if the
 * world moved, the request is closed as stale (409).
 */
import type { ChangeRequest, ChangeRequestStatus } from "@tradai/core";
import { type Actor, assertInScope } from "../../changes/actor.js";
import type { ApplyingRequest, Change, ChangeRecord } from "../../changes/change.js";
import type { Announce, ChangeKernel } from "../../changes/kernel.js";
import { approvingPeople, closeChangeRequest } from "../../changes/proposals.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../../http/errors.js";
import { pendingScheduleOf } from "../schedules/store.js";
import { type ChangeRequestRow, changeRequestStore } from "./store.js";

export interface ChangeRequestDeps {
  db: Queryable;
  changes: ChangeKernel;
  announce?: Announce | undefined;
}

const applyingOf = (cr: ChangeRequestRow): ApplyingRequest => ({
  id: Number(cr.id),
  effect_hash: cr.effect_hash,
  author: cr.author,
  author_person: cr.author_person,
  approvals_required: cr.approvals_required,
  environments: cr.environments,
});

/** Who proposed it, as a message names them: `token:ci (for alice)`. */
const proposer = (cr: ChangeRequestRow) =>
  cr.author_person && cr.author_person !== cr.author ? `${cr.author} (for ${cr.author_person})` : cr.author;

export function changeRequestServiceFactory({ db, changes, announce }: ChangeRequestDeps) {
  const read = changeRequestStore(db);

  async function mustView(id: number): Promise<ChangeRequest> {
    const found = await read.view(id);
    if (!found) throw new NotFoundError(`no change request ${id}`);
    return found;
  }

  async function mustRow(id: number): Promise<ChangeRequestRow> {
    const found = await read.get(id);
    if (!found) throw new NotFoundError(`no change request ${id}`);
    return found;
  }

  /**
   * Locks the request; it must be pending. An expired one is closed as such: committed, then 409.
   * @returns undefined when it expired
   */
  async function lockPending(tx: Queryable, id: number, record: ChangeRecord): Promise<ChangeRequestRow | undefined> {
    const cr = await changeRequestStore(tx).get(id, true);
    if (!cr) throw new NotFoundError(`no change request ${id}`);
    if (cr.stored_status === "pending" && cr.status === "expired") {
      await closeChangeRequest(tx, id, "expired", "system");
      record.audit({
        action: "change_request.expire",
        target_type: "change_request",
        target_id: String(id),
        environment: cr.environment,
      });
      record.refuseAfterCommit(new ConflictError(`change request ${id} has expired; propose it again`));
      return undefined;
    }
    if (cr.status !== "pending")
      throw new ConflictError(`change request ${id} is ${cr.status}; nothing can be done with it any more`);
    return cr;
  }

  /** A review is a person's: refused to the author (whatever credential they use) and to nobody. */
  function checkReviewer(cr: ChangeRequestRow, actor: Actor, verb: string): void {
    if (actor.name === cr.author || (actor.person !== null && actor.person === cr.author_person)) {
      const as = actor.person && actor.person !== actor.name ? ` (${actor.name} acts for ${actor.person})` : "";
      throw new ForbiddenError(`${proposer(cr)} proposed change request ${cr.id} and cannot ${verb} it${as}`);
    }
    if (actor.person === null) {
      throw new ForbiddenError(
        `${actor.name} acts for no person, so it cannot ${verb} change request ${cr.id}: four eyes are a person's`,
      );
    }
  }

  /** The decision on a request, as one governed change that may carry out the change it holds. */
  function decision(
    cr: ChangeRequestRow,
    freezeOverrideReason: string | undefined,
    work: (tx: Queryable, record: ChangeRecord, command: Change<unknown>) => Promise<void>,
  ): Change<void> {
    const command = changes.commandChange(cr.command);
    return {
      what: `change request ${cr.id} (${command.what})`,
      ...(command.event ? { event: command.event } : {}),
      ...(command.affects ? { affects: command.affects } : {}),
      acts: cr.environments.length > 0 ? cr.environments : "global",
      freezeOverrideReason,
      work: (tx, record) => work(tx, record, command),
    };
  }

  const decided = async (id: number, change: Change<void>, actor: Actor) => {
    await changes.commitChange(actor, change);
    return mustView(id);
  };

  return {
    list: (
      q: {
        status?: ChangeRequestStatus | undefined;
        strategy?: string | undefined;
        environment?: string | undefined;
        limit: number;
        offset: number;
      },
      reader: Actor,
    ) =>
      read.list(q, reader.environments).then(({ items, total }) => {
        const next = q.offset + items.length;
        return { items, total, limit: q.limit, offset: q.offset, next_offset: next < total ? next : null };
      }),

    show: mustView,

    /** The request, when the reader may see every environment it is about. */
    async showTo(id: number, reader: Actor): Promise<ChangeRequest> {
      const view = await mustView(id);
      for (const env of view.environments) assertInScope(reader, env);
      return view;
    },

    async approve(id: number, actor: Actor, comment: string | undefined, freezeOverrideReason: string | undefined) {
      const change = decision(await mustRow(id), freezeOverrideReason, async (tx, record, command) => {
        const cr = await lockPending(tx, id, record);
        if (!cr) return;
        checkReviewer(cr, actor, "approve");
        const requests = changeRequestStore(tx);
        if (await requests.hasReviewed(id, actor.person as string))
          throw new ConflictError(`${actor.person} has already approved change request ${id}`);
        await requests.insertReview({
          id,
          reviewer: actor.name,
          person: actor.person,
          decision: "approve",
          comment: comment ?? null,
        });
        // Scheduled: the approvals wait for its time (the scheduler applies it then).
        const scheduled = await pendingScheduleOf(tx, id);
        record.audit({
          action: "change_request.approve",
          target_type: "change_request",
          target_id: String(id),
          environment: cr.environment,
          details: {
            comment: comment ?? null,
            person: actor.person,
            ...(scheduled ? { scheduled_change_id: scheduled.id, applies_at: scheduled.run_at.toISOString() } : {}),
          },
        });
        if (scheduled || (await approvingPeople(tx, id)).length < cr.approvals_required) return;
        record.applyChangeRequest(applyingOf(cr));
        await command.work(tx, record);
      });
      return decided(id, change, actor);
    },

    /**
     * A change request scheduled for now (the scheduler): applied with the approvals it has, or
     * refused (too few, expired, stale: the world moved since they were given). `claim` ends the
     * schedule in the same transaction, so one replica applies it.
     */
    async applyScheduled(id: number, actor: Actor, claim: (tx: Queryable, record: ChangeRecord) => Promise<void>) {
      const change = decision(await mustRow(id), undefined, async (tx, record, command) => {
        const cr = await lockPending(tx, id, record);
        if (!cr) return;
        const people = (await approvingPeople(tx, id)).length;
        if (people < cr.approvals_required)
          throw new ConflictError(
            `change request ${id} has ${people} of the ${cr.approvals_required} approvals it needs at its scheduled time`,
          );
        await claim(tx, record);
        record.applyChangeRequest(applyingOf(cr));
        await command.work(tx, record);
      });
      await changes.commitChange(actor, change);
      return mustView(id);
    },

    async reject(id: number, actor: Actor, comment: string) {
      const cr = await mustRow(id);
      return decided(
        id,
        {
          what: `rejecting change request ${id}`,
          acts: cr.environments.length > 0 ? cr.environments : "global",
          async work(tx, record) {
            const locked = await lockPending(tx, id, record);
            if (!locked) return;
            checkReviewer(locked, actor, "review");
            if (await changeRequestStore(tx).hasReviewed(id, actor.person as string))
              throw new ConflictError(
                `${actor.person} has already approved change request ${id}; a review is given once`,
              );
            await changeRequestStore(tx).insertReview({
              id,
              reviewer: actor.name,
              person: actor.person,
              decision: "reject",
              comment,
            });
            await closeChangeRequest(tx, id, "rejected", actor.name);
            record.audit({
              action: "change_request.reject",
              target_type: "change_request",
              target_id: String(id),
              environment: locked.environment,
              details: { comment },
            });
          },
        },
        actor,
      );
    },

    /** One admin applies the request without its approvals, where every environment it touches allows it. */
    async breakGlass(id: number, actor: Actor, reason: string, freezeOverrideReason: string | undefined) {
      const change = decision(await mustRow(id), freezeOverrideReason, async (tx, record, command) => {
        const cr = await lockPending(tx, id, record);
        if (!cr) return;
        record.audit({
          action: "change_request.break_glass",
          target_type: "change_request",
          target_id: String(id),
          environment: cr.environment,
          details: { reason },
        });
        record.applyChangeRequest({ ...applyingOf(cr), break_glass_reason: reason });
        await command.work(tx, record);
        record.afterCommit(() =>
          announce?.({
            kind: "break_glass",
            summary: `${actor.name} applied change request ${id} (${cr.summary ?? command.what}) without approval: ${reason}`,
            change_request_id: id,
            strategy: cr.strategy_name,
            config_id: cr.config_id,
            environment: cr.environment,
            actor: actor.name,
            reason,
          }),
        );
      });
      return decided(id, change, actor);
    },
  };
}

export type ChangeRequestService = ReturnType<typeof changeRequestServiceFactory>;
