/**
 * @module Scheduled changes as governed changes: scheduling and cancelling one (no config moves:
 * judged on scope), and carrying one out, which is the scheduled activation, rollback or rollout
 * itself, with the row claimed in the same transaction so that only one replica ever carries it
 * out, and refused (a second change) when it cannot be.
 */
import type { Change } from "../../changes/change.js";
import { ConflictError, NotFoundError } from "../../http/errors.js";
import { type ActivationCommand, activationChange } from "../activation/change.js";
import { rolloutStartChange } from "../rollouts/change.js";
import { type ScheduledRow, scheduleStore } from "./store.js";

/** Another replica (or a cancel) ended it first: nothing to do. */
export class AlreadyEndedError extends Error {}

export function scheduleCreateChange(
  row: Omit<ScheduledRow, "created_at" | "state" | "outcome" | "ended_at">,
): Change<void> {
  return {
    what: `scheduling ${row.summary}`,
    acts: [row.environment],
    async work(tx, record) {
      await scheduleStore(tx).insert(row);
      record.audit({
        action: "schedule.create",
        target_type: "scheduled_change",
        target_id: row.id,
        environment: row.environment,
        after: { state: "pending", run_at: row.run_at.toISOString(), time_zone: row.time_zone },
        details: { strategy: row.strategy_name, kind: row.kind, config_id: row.config_id, summary: row.summary },
      });
    },
  };
}

export function scheduleCancelChange(row: ScheduledRow, reason: string): Change<void> {
  return {
    what: `cancelling scheduled change ${row.id}`,
    acts: [row.environment],
    async work(tx, record) {
      if (!(await scheduleStore(tx).end(row.id, "cancelled", `cancelled by ${record.actor.name}: ${reason}`))) {
        const now = await scheduleStore(tx).find(row.id);
        if (!now) throw new NotFoundError(`no scheduled change ${row.id}`);
        throw new ConflictError(
          `scheduled change ${row.id} already ended (${now.state}${now.outcome ? `: ${now.outcome}` : ""})`,
        );
      }
      record.audit({
        action: "schedule.cancel",
        target_type: "scheduled_change",
        target_id: row.id,
        environment: row.environment,
        before: { state: "pending" },
        after: { state: "cancelled" },
        details: { strategy: row.strategy_name, summary: row.summary, reason },
      });
    },
  };
}

/** The change a scheduled row carries out when its time comes (claimed in its own transaction). */
export function scheduledExecution(row: ScheduledRow, rolloutId: string): Change<unknown> {
  // Every kind but change_request names both (the table's CHECK).
  const [strategy, configId] = [row.strategy_name as string, row.config_id as string];
  const inner: Change<unknown> =
    row.kind === "rollout"
      ? (rolloutStartChange({
          id: rolloutId,
          strategy,
          environment: row.environment,
          config_id: configId,
          steps: row.rollout?.steps ?? [],
          guards: row.rollout?.guards ?? [],
          expected_active: row.expected_active,
        }) as Change<unknown>)
      : (() => {
          const command: ActivationCommand = {
            strategy,
            config_id: configId,
            environment: row.environment,
            expected_active: row.expected_active,
            via: row.kind === "rollback" ? "rollback" : "activation",
          };
          return activationChange(() => command, { described: command }) as Change<unknown>;
        })();
  return {
    ...inner,
    what: `${inner.what} (scheduled for ${row.run_at.toISOString()})`,
    // Kept when the change becomes a change request: it was carried out, as far as a schedule goes.
    async prepare(tx, record) {
      if (!(await scheduleStore(tx).end(row.id, "done", null))) throw new AlreadyEndedError();
      record.audit({
        action: "schedule.execute",
        target_type: "scheduled_change",
        target_id: row.id,
        environment: row.environment,
        details: { strategy: row.strategy_name, summary: row.summary, run_at: row.run_at.toISOString() },
      });
      await inner.prepare?.(tx, record);
    },
    async work(tx, record) {
      const result = await inner.work(tx, record);
      await scheduleStore(tx).tell(row.id, "applied");
      return result;
    },
  };
}

/** A scheduled change that could not be carried out: refused, with why (false: it had ended already). */
export function scheduleRefuseChange(row: ScheduledRow, reason: string): Change<boolean> {
  return {
    what: `refusing scheduled change ${row.id}`,
    acts: [row.environment],
    async work(tx, record) {
      if (!(await scheduleStore(tx).end(row.id, "refused", reason.slice(0, 2000)))) return false;
      record.audit({
        action: "schedule.refuse",
        target_type: "scheduled_change",
        target_id: row.id,
        environment: row.environment,
        before: { state: "pending" },
        after: { state: "refused" },
        details: { strategy: row.strategy_name, summary: row.summary, reason },
      });
      return true;
    },
  };
}

/** The outcome of one that became a change request (it needs approval at its time). */
export function scheduleOutcomeChange(row: ScheduledRow, outcome: string): Change<void> {
  return {
    what: `telling the outcome of scheduled change ${row.id}`,
    acts: [row.environment],
    async work(tx, record) {
      await scheduleStore(tx).tell(row.id, outcome);
      record.audit({
        action: "schedule.outcome",
        target_type: "scheduled_change",
        target_id: row.id,
        environment: row.environment,
        details: { strategy: row.strategy_name, outcome },
      });
    },
  };
}
