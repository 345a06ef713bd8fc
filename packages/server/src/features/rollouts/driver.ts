/**
 * @module Moves staged rollouts on (issue 19), and carries out the scheduled changes whose time has
 * come (schedules/service.ts). Every few seconds each replica looks at the open
 * rollouts; a guard that held long enough rolls its rollout back at once (alerted, the guard and
 * its figures audited), a step that baked its time gives way to the next, the last one completes
 * the rollout. Each move is one governed change that checks, under the strategy's lock, that the
 * rollout is still where this replica saw it: with several replicas, one moves it and the others
 * find nothing to do. Nothing is kept but the table, so a restart mid-bake goes on where it was
 * (a guard's `for_seconds` counts again from the first look after it).
 */
import type { FastifyBaseLogger } from "fastify";
import { systemActor } from "../../changes/actor.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { FrozenError, StaleError } from "../../http/errors.js";
import type { Alerts } from "../alerts/webhook.js";
import type { PlatformMetrics } from "../metrics/registry.js";
import { rolloutAdvanceChange } from "./change.js";
import { holdSeconds } from "./guards.js";
import type { RolloutService } from "./service.js";
import { nextAt, rolloutStore } from "./store.js";

export interface RolloutDriver {
  /** One look at every open rollout (the timer calls it; tests may too). */
  tick(now?: Date): Promise<void>;
  stop(): Promise<void>;
}

const ACTOR = systemActor("rollout-driver");

export function startRolloutDriver(deps: {
  db: Queryable;
  rollouts: RolloutService;
  /** Scheduled changes ride the same tick: those whose time has come are carried out. */
  schedules?: { executeDue(now: Date): Promise<void> };
  changes: ChangeKernel;
  alerts: Alerts;
  metrics: PlatformMetrics;
  intervalMs: number;
  log: () => FastifyBaseLogger | undefined;
}): RolloutDriver {
  const { rollouts, changes, alerts, metrics } = deps;
  /** When each guard (rollout id : index) was first seen holding. */
  const heldSince = new Map<string, number>();
  /** Moves refused (a freeze): told once per rollout and step. */
  const blocked = new Set<string>();
  const shown = new Map<string, { environment: string; strategy: string; rollout_id: string }>();

  const tickOnce = async (now: Date) => {
    await deps.schedules?.executeDue(now);
    const open = await rolloutStore(deps.db).allOpen();
    for (const [id, labels] of shown)
      if (!open.some((r) => r.id === id)) {
        metrics.rolloutStep.set(labels, 0);
        shown.delete(id);
      }
    for (const row of open) {
      const labels = { environment: row.environment, strategy: row.strategy_name, rollout_id: row.id };
      metrics.rolloutStep.set(labels, row.step + 1);
      shown.set(row.id, labels);
      if (row.state !== "running") continue;
      const { readings } = await rollouts.look(row);
      let tripped: (typeof readings)[number] | undefined;
      for (const reading of readings) {
        const key = `${row.id}:${reading.index}`;
        if (!reading.holds) {
          heldSince.delete(key);
          continue;
        }
        const since = heldSince.get(key) ?? now.getTime();
        heldSince.set(key, since);
        if (!tripped && now.getTime() - since >= holdSeconds(reading.guard) * 1000) tripped = reading;
      }
      if (tripped) {
        try {
          const ended = await rollouts.rollBack(row, tripped, ACTOR);
          if (!ended) continue;
          metrics.rolloutGuardTrips.inc({
            environment: row.environment,
            strategy: row.strategy_name,
            guard: tripped.guard.kind,
          });
          await alerts.announce({
            kind: "rollout_rolled_back",
            summary: `ROLLED BACK: rollout ${row.id} of ${row.config_id} (${row.strategy_name} in ${row.environment}) at step ${row.step + 1}: guard ${tripped.index + 1} (${tripped.guard.kind}) tripped: ${tripped.summary}; every worker it assigned runs ${row.from_config_id ?? "the active version"} again`,
            rollout_id: row.id,
            environment: row.environment,
            strategy: row.strategy_name,
            guard: tripped.guard,
            figures: tripped.figures,
          });
        } catch (error) {
          if (!(error instanceof StaleError)) throw error; // another replica ended it first
        }
        continue;
      }
      const due = nextAt(row);
      if (!due || now < due) continue;
      const bake = row.steps[row.step]?.bake_seconds ?? 0;
      try {
        const moved = await changes.commitChange(
          ACTOR,
          rolloutAdvanceChange({
            id: row.id,
            strategy: row.strategy_name,
            environment: row.environment,
            config_id: row.config_id,
            fromStep: row.step,
            reason: `step ${row.step + 1} of ${row.steps.length} baked ${bake} s with no guard tripped`,
          }),
        );
        if (moved.outcome === "applied" && moved.result.completed)
          await alerts.announce({
            kind: "rollout_completed",
            summary: `COMPLETED: rollout ${row.id}: ${row.config_id} is active for every worker of ${row.strategy_name} in ${row.environment}`,
            rollout_id: row.id,
            environment: row.environment,
            strategy: row.strategy_name,
          });
      } catch (error) {
        if (error instanceof StaleError) continue; // another replica ended it first
        if (!(error instanceof FrozenError)) throw error;
        const key = `${row.id}:${row.step}`;
        if (blocked.has(key)) continue;
        blocked.add(key);
        deps.log()?.warn({ rollout_id: row.id, err: error }, "a staged rollout waits: its next step is refused");
        await alerts.announce({
          kind: "rollout_blocked",
          summary: `WAITING: rollout ${row.id} (${row.strategy_name} in ${row.environment}) cannot leave step ${row.step + 1}: ${error.message}`,
          rollout_id: row.id,
          environment: row.environment,
          strategy: row.strategy_name,
        });
      }
    }
  };

  let running: Promise<void> = Promise.resolve();
  const tick = (now = new Date()) => {
    running = running.then(() =>
      tickOnce(now).catch((error) => deps.log()?.error({ err: error }, "looking at the staged rollouts failed")),
    );
    return running;
  };
  const timer = setInterval(() => void tick(), deps.intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
