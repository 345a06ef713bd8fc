/**
 * @module Watches workers and tells on-call: an alert when a worker starts lagging, refuses its
 * config (strict live mode) or goes stale,
 * and one recovery message when it is ok again; once per episode. Every replica watches; the
 * `worker_alerts` row decides which one announces (the one whose INSERT or DELETE took effect).
 */
import type { WorkerView } from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import type { Queryable } from "../../db/database.js";
import type { Alerts } from "../alerts/webhook.js";
import type { PlatformMetrics } from "../metrics/registry.js";
import type { WorkerService } from "./service.js";

export function describeTrouble(w: WorkerView): string {
  if (w.status === "stale")
    return `worker ${w.worker_id} (${w.environment}) has sent no heartbeat for ${Math.round(w.seconds_since_heartbeat)} s`;
  if (w.status === "refused") {
    const refused = w.refused.map(
      (r) => `${r.strategy} ${r.config_version_id ?? ""} ${r.resolved_hash?.slice(0, 12) ?? ""}: ${r.reason}`,
    );
    return `worker ${w.worker_id} (${w.environment}) refuses its config and runs an older one: ${refused.join("; ")}`;
  }
  const behind = w.strategies
    .filter((s) => !s.up_to_date)
    .map(
      (s) =>
        `${s.strategy}: ${s.lag_changes} change(s) / ${Math.round(s.lag_seconds)} s behind ` +
        `(runs ${s.applied_config_id ?? "nothing"} ${s.applied_hash?.slice(0, 12) ?? ""}, should run ` +
        `${s.active_config_id ?? "nothing"} ${s.expected_hash?.slice(0, 12) ?? ""})`,
    );
  return `worker ${w.worker_id} (${w.environment}) is lagging: ${behind.join("; ")}`;
}

export interface WorkerMonitor {
  /** One look at every worker, retiring those silent too long at `now` (the timer calls it; tests may too). */
  check(now?: Date): Promise<void>;
  stop(): Promise<void>;
}

export function startWorkerMonitor(deps: {
  db: Queryable;
  workers: WorkerService;
  alerts: Alerts;
  metrics: PlatformMetrics;
  intervalMs: number;
  log: () => FastifyBaseLogger | undefined;
}): WorkerMonitor {
  const { db, alerts, metrics } = deps;
  const checkOnce = async (now: Date) => {
    // Retiring cannot hold up the alerts: a failure is logged, and tried again next check.
    await deps.workers
      .retireStale(now)
      .catch((error) => deps.log()?.error({ err: error }, "retiring silent workers failed"));
    const views = await deps.workers.list();
    const open = new Set(
      (await db.query<{ worker_id: string }>("SELECT worker_id FROM worker_alerts")).rows.map((r) => r.worker_id),
    );
    for (const w of views) {
      if (w.status === "ok") {
        if (!open.has(w.worker_id)) continue;
        const { rows } = await db.query<{ status: string; since: Date }>(
          "DELETE FROM worker_alerts WHERE worker_id = $1 RETURNING status, since",
          [w.worker_id],
        );
        const ended = rows[0];
        if (!ended) continue; // another replica announced the recovery
        metrics.workerAlerts.inc({ kind: "recovered" });
        await alerts.announce({
          kind: "worker_recovered",
          summary: `RECOVERED: worker ${w.worker_id} (${w.environment}) is up to date and heartbeating again (was ${ended.status} since ${ended.since.toISOString()})`,
          worker_id: w.worker_id,
          environment: w.environment,
          was: ended.status,
          since: ended.since.toISOString(),
        });
      } else if (!open.has(w.worker_id)) {
        const reason = describeTrouble(w);
        const { rows } = await db.query(
          `INSERT INTO worker_alerts (worker_id, status, reason) VALUES ($1, $2, $3)
           ON CONFLICT (worker_id) DO NOTHING RETURNING worker_id`,
          [w.worker_id, w.status, reason],
        );
        if (rows.length === 0) continue; // another replica announced it
        metrics.workerAlerts.inc({ kind: w.status });
        await alerts.announce({
          kind: `worker_${w.status}`,
          summary: reason,
          worker_id: w.worker_id,
          environment: w.environment,
          status: w.status,
          strategies: w.strategies,
        });
      }
    }
  };
  let running: Promise<void> | undefined;
  const check = (now = new Date()) => {
    running ??= checkOnce(now)
      .catch((error) => deps.log()?.error({ err: error }, "checking workers for alerts failed"))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void check(), deps.intervalMs);
  timer.unref();
  return {
    check,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
