/**
 * @module Staged rollouts (issue 19): start one (a governed change, proposed as a change request
 * where the environment asks for approval), read them with their workers and live guard figures,
 * pause, resume or abort one. The driver (driver.ts) moves them on.
 */
import { randomUUID } from "node:crypto";
import { isAssigned, type JsonValue, type RolloutRequest, type RolloutView, type WorkerView } from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { NotFoundError } from "../../http/errors.js";
import { configStore } from "../configs/store.js";
import type { Environments } from "../environments/environments.js";
import type { WorkerService } from "../workers/service.js";
import { type RolloutStartCommand, rolloutEndChange, rolloutPauseChange, rolloutStartChange } from "./change.js";
import { type GuardedWorker, type GuardReading, readGuards } from "./guards.js";
import { type RolloutRow, rolloutStore, viewOfRollout } from "./store.js";

export interface RolloutWorker {
  worker_id: string;
  assigned: boolean;
  status: WorkerView["status"];
  labels: Record<string, string>;
  health: Record<string, number>;
  applied_config_id: string | null;
  applied_hash: string | null;
  /** it runs the rollout's version */
  on_rollout: boolean;
}

export interface RolloutStatus extends RolloutView {
  workers: RolloutWorker[];
  /** each guard as judged on the workers' latest reports */
  guard_readings: GuardReading[];
}

export type RolloutStartOutcome =
  | { outcome: "applied"; rollout: RolloutView }
  | { outcome: "proposed"; change_request_id: number; created: boolean };

export function rolloutServiceFactory(deps: {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  workers: WorkerService;
}) {
  const { db, changes, environments } = deps;
  changes.registerCommand("rollout_start", (payload) => rolloutStartChange(payload as unknown as RolloutStartCommand));

  const find = async (id: string) => {
    const row = await rolloutStore(db).find(id);
    if (!row) throw new NotFoundError(`no rollout ${id}`);
    return row;
  };

  /** The workers running the strategy in the rollout's environment, the canaries marked, and the guards read. */
  async function look(row: RolloutRow): Promise<{ workers: RolloutWorker[]; readings: GuardReading[] }> {
    const views = (await deps.workers.list(row.environment)).filter((w) =>
      w.strategies.some((s) => s.strategy === row.strategy_name),
    );
    const { rows } = await db.query<{ worker_id: string; violations: string | null }>(
      "SELECT worker_id, events->>'config_apply_violation' AS violations FROM workers WHERE environment = $1 AND retired_at IS NULL",
      [row.environment],
    );
    const violations = new Map(rows.map((r) => [r.worker_id, Number(r.violations ?? 0)]));
    const workers = views.map((w): RolloutWorker => {
      const s = w.strategies.find((x) => x.strategy === row.strategy_name);
      return {
        worker_id: w.worker_id,
        assigned: isAssigned(row.id, row.assignment, { worker_id: w.worker_id, labels: w.labels }),
        status: w.status,
        labels: w.labels,
        health: w.health,
        applied_config_id: s?.applied_config_id ?? null,
        applied_hash: s?.applied_hash ?? null,
        on_rollout: s?.applied_config_id === row.config_id,
      };
    });
    const guarded = (w: RolloutWorker): GuardedWorker => ({
      worker_id: w.worker_id,
      stale: w.status === "stale",
      health: w.health,
      violations: violations.get(w.worker_id) ?? 0,
      on_rollout: w.on_rollout,
    });
    const readings = readGuards(
      row.guards,
      workers.filter((w) => w.assigned).map(guarded),
      workers.filter((w) => !w.assigned).map(guarded),
    );
    return { workers, readings };
  }

  const pairOf = (row: RolloutRow) => ({ id: row.id, strategy: row.strategy_name, environment: row.environment });

  return {
    look,

    async start(
      request: RolloutRequest & { freeze_override_reason?: string | undefined },
      actor: Actor,
    ): Promise<RolloutStartOutcome> {
      const environment = environments.resolve(request.environment, { location: "body", field: "environment" });
      const active = await configStore(db).openActivation(request.strategy, environment);
      const { freeze_override_reason, ...asked } = request;
      const command: RolloutStartCommand = {
        ...asked,
        environment,
        id: randomUUID(),
        expected_active: active?.config_id ?? null,
      };
      const change = { ...rolloutStartChange(command), freezeOverrideReason: freeze_override_reason };
      const committed = await changes.commitChange(actor, change);
      if (committed.outcome === "proposed") return committed;
      return { outcome: "applied", rollout: viewOfRollout(committed.result.row) };
    },

    async list(filter: {
      environment?: string | undefined;
      strategy?: string | undefined;
      limit?: number | undefined;
    }) {
      const environment = filter.environment === undefined ? undefined : environments.resolve(filter.environment);
      const rows = await rolloutStore(db).list({
        ...(environment ? { environment } : {}),
        ...(filter.strategy ? { strategy: filter.strategy } : {}),
        limit: filter.limit ?? 50,
      });
      return rows.map(viewOfRollout);
    },

    async status(id: string): Promise<RolloutStatus> {
      const row = await find(id);
      const { workers, readings } = await look(row);
      return { ...viewOfRollout(row), workers, guard_readings: readings };
    },

    async pause(id: string, paused: boolean, actor: Actor): Promise<RolloutView> {
      const row = await find(id);
      return viewOfRollout(
        mustApply(await changes.commitChange(actor, rolloutPauseChange({ ...pairOf(row), paused }))),
      );
    },

    /** Ends the rollout without its version: every worker it assigned resolves the active version again. */
    async abort(id: string, reason: string, actor: Actor): Promise<RolloutView> {
      const row = await find(id);
      const ended = mustApply(
        await changes.commitChange(actor, rolloutEndChange({ ...pairOf(row), state: "aborted", reason })),
      );
      return viewOfRollout(ended ?? row);
    },

    /** A guard tripped (the driver): rolled back at once, the guard and its figures in the audit entry. */
    async rollBack(row: RolloutRow, reading: GuardReading, actor: Actor) {
      return mustApply(
        await changes.commitChange(
          actor,
          rolloutEndChange({
            ...pairOf(row),
            state: "rolled_back",
            reason: `guard ${reading.index + 1} (${reading.guard.kind}) tripped: ${reading.summary}`,
            guard: { index: reading.index, rule: reading.guard, figures: reading.figures } as unknown as JsonValue,
          }),
        ),
      );
    },
  };
}

export type RolloutService = ReturnType<typeof rolloutServiceFactory>;
