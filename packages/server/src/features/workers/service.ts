/**
 * @module Workers: each heartbeat replaces what a worker last reported; the view compares what it
 * applied with what is active, per strategy, and says ok, lagging (behind for longer than the lag
 * threshold, or by more versions) or stale (no heartbeat for longer than the stale threshold). A
 * heartbeat reporting a config that came with a change event measures that event's propagation.
 */
import { type HeartbeatBody, isAssigned, type WorkerView } from "@tradai/core";
import { type Actor, assertInScope, systemActor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Database, Queryable } from "../../db/database.js";
import { InvalidInputError, NotFoundError } from "../../http/errors.js";
import { announceAuthChange } from "../auth/principal-cache.js";
import type { ChangeFeed } from "../distribution/feed.js";
import type { Environments } from "../environments/environments.js";
import type { RolloutBook } from "../rollouts/book.js";
import type { SessionRecorder } from "../sessions/recorder.js";
import { checkApplies, sessionProcess } from "../sessions/service.js";
import type { ShadowStore } from "../shadow/store.js";
import { type ReporterCheck, reporterCheck } from "./credentials.js";
import { heartbeatWriter } from "./heartbeat-writer.js";

/** The labels a worker's process declared (stored with the process as the worker reported it). */
function labelsOf(process: unknown): Record<string, string> {
  const labels = (process as { labels?: unknown } | null)?.labels;
  return typeof labels === "object" && labels !== null ? (labels as Record<string, string>) : {};
}

interface WorkerRow {
  worker_id: string;
  environment: string;
  applied: HeartbeatBody["applied"];
  last_seq: string | number;
  pending_restart: string[];
  pending_between_trades: string[];
  refused: HeartbeatBody["refused"];
  process: unknown;
  health: Record<string, number>;
  last_heartbeat: Date;
  now: Date;
}

interface ActivationRow {
  id: string | number;
  strategy_name: string;
  config_id: string;
  activated_at: Date;
  ended_at: Date | null;
}

/**
 * Where each worker's applied config stands on the change feed of its environment and strategy:
 * the latest change and the hash it resolved to (what the worker should run); the furthest change
 * it is known to have applied (the one its hash matches, or the one it applied at a boundary while
 * restart keys wait, whose hash may be an older one's); and the changes since: how many, since when.
 */
async function lagOnTheFeed(
  db: Queryable,
  applied: {
    worker_id: string;
    environment: string;
    strategy: string;
    resolved_hash: string | null;
    config_version_id: string | null;
    seq?: number | undefined;
  }[],
): Promise<Map<string, FeedLag>> {
  if (applied.length === 0) return new Map();
  const { rows } = await db.query<{
    worker_id: string;
    strategy: string;
    latest_seq: string | number;
    expected_hash: string | null;
    position: string | number;
    behind: number;
    first_behind_at: Date | null;
  }>(
    `SELECT i.worker_id, i.strategy, latest.seq AS latest_seq, latest.resolved_hash AS expected_hash, pos.seq AS position,
       (SELECT count(*)::int FROM config_events e
        WHERE e.environment = i.environment AND e.strategy = i.strategy AND e.seq > pos.seq) AS behind,
       (SELECT min(e.at) FROM config_events e
        WHERE e.environment = i.environment AND e.strategy = i.strategy AND e.seq > pos.seq) AS first_behind_at
     FROM jsonb_to_recordset($1::jsonb) AS i(worker_id text, environment text, strategy text, resolved_hash text,
       config_version_id text, seq bigint)
     JOIN LATERAL (SELECT e.seq, e.resolved_hash FROM config_events e
       WHERE e.environment = i.environment AND e.strategy = i.strategy ORDER BY e.seq DESC LIMIT 1) latest ON true
     CROSS JOIN LATERAL (SELECT (SELECT max(e.seq) FROM config_events e
       WHERE e.environment = i.environment AND e.strategy = i.strategy AND e.resolved_hash = i.resolved_hash) AS seq) by_hash
     CROSS JOIN LATERAL (SELECT GREATEST(
       -- the latest change that resolved to the hash it runs,
       by_hash.seq,
       -- the change it applied at a boundary (its hash differs while restart keys wait),
       i.seq,
       -- or, neither known, the latest change that made its version active (a change of base
       -- values keeps the version: only when the hash says nothing)
       CASE WHEN by_hash.seq IS NULL AND i.seq IS NULL THEN (SELECT max(e.seq) FROM config_events e
        WHERE e.environment = i.environment AND e.strategy = i.strategy AND e.config_id = i.config_version_id
          AND e.kind = 'activation') END,
       0) AS seq) pos`,
    [JSON.stringify(applied)],
  );
  return new Map(
    rows.map((r) => [
      `${r.worker_id}\0${r.strategy}`,
      {
        latest_seq: Number(r.latest_seq),
        expected_hash: r.expected_hash,
        position: Number(r.position),
        behind: Number(r.behind),
        first_behind_at: r.first_behind_at,
      },
    ]),
  );
}

interface FeedLag {
  latest_seq: number;
  expected_hash: string | null;
  position: number;
  behind: number;
  first_behind_at: Date | null;
}

export interface RetiredWorker {
  worker_id: string;
  environment: string;
  reported_by: string;
  retired_at: string;
  retired_by: string;
}

export interface WorkerThresholds {
  /** Behind the active version for longer than this: lagging. */
  lagSeconds: number;
  /** No heartbeat for longer than this: stale. */
  staleSeconds: number;
  /** More activations behind than this: lagging. */
  lagVersions: number;
  /** No heartbeat for longer than this: retired (out of the view and its gauges). 0: never. */
  retireAfterSeconds?: number;
}

/** A worker newly reporting a config it got with change event `seq`, applied at `appliedAt`. */
export type PropagationObserver = (environment: string, seconds: number) => void;

/** What workers' own signals say: each apply's commit-to-applied (KPI 3), and new violations (KPI 4). */
export interface SignalObserver {
  applied(environment: string, seconds: number): void;
  violations(environment: string, count: number): void;
}

export function workerServiceFactory({
  db,
  changes,
  reporters = reporterCheck(db),
  environments,
  thresholds,
  observePropagation,
  observeSignals,
  feed,
  sessions,
  shadow,
  rollouts,
}: {
  db: Database;
  /** Staged rollouts: what a worker a rollout assigns (or not) should run. */
  rollouts?: Pick<RolloutBook, "open" | "resolveFor">;
  /** The change kernel: retiring a worker is a governed change. */
  changes?: ChangeKernel;
  /** Who may report for a worker id (shared with the sessions route). */
  reporters?: ReporterCheck;
  /** Where what the worker applied is appended to its sessions' history. */
  sessions?: SessionRecorder;
  /** Where shadow parameters' would-apply observations are recorded. */
  shadow?: ShadowStore;
  environments: Environments;
  thresholds: WorkerThresholds;
  observePropagation?: PropagationObserver;
  observeSignals?: SignalObserver;
  /** Recent events, so a heartbeat's propagation is measured without a query. */
  feed?: Pick<ChangeFeed, "recent">;
}) {
  const eventOf = async (seq: number) => {
    const known = feed?.recent(seq);
    if (known) return known;
    const { rows } = await db.query<{ at: Date; environment: string | null; strategy: string | null }>(
      "SELECT at, environment, strategy FROM config_events WHERE seq = $1",
      [seq],
    );
    const row = rows[0];
    return row && { at: row.at.toISOString(), environment: row.environment, strategy: row.strategy };
  };
  const writer = heartbeatWriter(db);
  return {
    /** Writes the reports still waiting for their batch. */
    stop: () => writer.stop(),

    async heartbeat(workerId: string, body: HeartbeatBody, actor: Actor): Promise<void> {
      const environment = environments.resolve(body.environment, { location: "body", field: "environment" });
      assertInScope(actor, environment);
      const applies = body.applies ?? [];
      const observations = body.shadow ?? [];
      const session = sessionProcess(body.process);
      if (applies.length > 0 && !session) {
        throw InvalidInputError.field(
          "body",
          "process.instance",
          "a worker reporting applies names its process (process.instance) and its mode (process.mode): its sessions",
        );
      }
      if (observations.length > 0 && !body.process?.instance) {
        throw InvalidInputError.field(
          "body",
          "process.instance",
          "a worker reporting shadow observations names its process (process.instance): they are numbered per process",
        );
      }
      checkApplies(applies, "applies");
      // Once the report is known good, before anything is written (the session history first): only
      // the worker's own credential reports. Bad input is refused first, so it claims no id.
      await reporters.assertMayReport(actor, workerId, environment);
      // The history is written first: once the report is answered, nothing it carried is lost.
      let appended = new Set<string>();
      if (sessions && session && (applies.length > 0 || body.final)) {
        const recorded = await sessions.record({
          workerId,
          environment,
          process: session,
          applies,
          final: body.final === true,
          reportedBy: actor.name,
          via: "heartbeat",
        });
        appended = new Set(recorded.flatMap((s) => s.appended.map((seq) => `${s.strategy}\0${seq}`)));
      }
      // Recorded before the answer too: an acknowledged observation is not lost (a resent one is skipped).
      if (shadow && observations.length > 0 && body.process?.instance) {
        await shadow.record(
          { workerId, instance: body.process.instance, environment, reportedBy: actor.name },
          observations,
        );
      }
      const previous = await writer.write({
        worker_id: workerId,
        environment,
        applied: body.applied,
        last_seq: body.last_seq,
        pending_restart: body.pending_restart,
        pending_between_trades: body.pending_between_trades,
        process: body.process ?? null,
        refused: body.refused,
        reported_by: actor.name,
        // A clean stop says goodbye: the worker leaves the view at once (its sessions stay).
        final: body.final === true,
        // The counts are the process's own: kept with its instance, so a new process starts afresh.
        events: { ...(body.events ?? {}), instance: body.process?.instance ?? null },
        health: body.health ?? {},
      });
      // KPI 3: each apply carries the worker's own commit-to-applied measure, counted when its
      // history row is appended (once: a resent report appends nothing).
      for (const a of applies)
        if (observeSignals && a.latency_ms !== null && appended.has(`${a.strategy}\0${a.seq}`))
          observeSignals.applied(environment, a.latency_ms / 1000);
      if (observeSignals && previous !== undefined) {
        // KPI 4: counts are cumulative per process; another process (or none before) starts from 0.
        const now = body.events?.config_apply_violation ?? 0;
        const sameProcess = previous !== null && previous.events.instance === (body.process?.instance ?? null);
        const was = sameProcess ? Number(previous.events.config_apply_violation ?? 0) : 0;
        const added = now >= was ? now - was : now;
        if (added > 0) observeSignals.violations(environment, added);
      }
      if (!observePropagation || !previous) return; // the first report, or one superseded in its batch
      // A config the worker did not report before, that came with a change event: it propagated.
      for (const a of body.applied) {
        const before = previous.applied.find((b) => b.strategy === a.strategy);
        if (a.seq === undefined || a.seq === 0 || !before || before.seq === a.seq) continue;
        const event = await eventOf(a.seq);
        // Only an event that changed this strategy (or all of them) in this environment propagated to it.
        if (
          !event ||
          (event.environment ?? environment) !== environment ||
          (event.strategy ?? a.strategy) !== a.strategy
        )
          continue;
        observePropagation(environment, Math.max(0, (Date.parse(a.applied_at) - Date.parse(event.at)) / 1000));
      }
    },

    /**
     * Takes a worker out of the view and its gauges, and releases its id: another credential may
     * report for it. Its sessions and their history stay. A governed change (audit entry).
     */
    async retire(
      workerId: string,
      actor: Actor,
      how: { reason: string; silentBefore?: Date } = { reason: "retired by an admin" },
    ): Promise<RetiredWorker> {
      if (!changes) throw new Error("retiring a worker needs the change kernel");
      const { rows } = await db.query<{ environment: string; reported_by: string; retired_at: Date | null }>(
        "SELECT environment, reported_by, retired_at FROM workers WHERE worker_id = $1",
        [workerId],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`no worker ${workerId} has reported`);
      assertInScope(actor, row.environment);
      // An admin's retirement also releases the id for another credential; the platform's retirement
      // of a silent worker (silentBefore) only takes it out of the view, if it is still silent.
      const automatic = how.silentBefore !== undefined;
      const retired = mustApply(
        await changes.commitChange(actor, {
          what: `retiring worker ${workerId}`,
          acts: [row.environment],
          work: async (tx, record) => {
            const { rows: done } = await tx.query<{ retired_at: Date; retired_by: string; released: boolean }>(
              automatic
                ? `UPDATE workers SET retired_at = clock_timestamp(), retired_by = $2
                   WHERE worker_id = $1 AND retired_at IS NULL AND last_heartbeat < $3::timestamptz
                   RETURNING retired_at, retired_by, released`
                : `UPDATE workers SET retired_at = COALESCE(retired_at, clock_timestamp()),
                     retired_by = COALESCE(retired_by, $2), released = true
                   WHERE worker_id = $1 AND NOT released RETURNING retired_at, retired_by, released`,
              automatic ? [workerId, actor.name, how.silentBefore?.toISOString()] : [workerId, actor.name],
            );
            const changed = done[0];
            const state = {
              worker_id: workerId,
              environment: row.environment,
              reported_by: row.reported_by,
              retired_at: (changed?.retired_at ?? row.retired_at ?? new Date()).toISOString(),
              retired_by: changed?.retired_by ?? actor.name,
            };
            if (!changed) return state; // retired already (by another replica, or released before)
            // Its alert episode ends with it (no recovery message: it left).
            await tx.query("DELETE FROM worker_alerts WHERE worker_id = $1", [workerId]);
            // A released id may be claimed by another credential: replicas forget who owned it.
            if (changed.released) await announceAuthChange(tx);
            record.audit({
              action: "worker.retire",
              target_type: "worker",
              target_id: workerId,
              environment: row.environment,
              before: {
                worker_id: workerId,
                environment: row.environment,
                reported_by: row.reported_by,
                retired_at: row.retired_at?.toISOString() ?? null,
              },
              after: { ...state, released: changed.released },
              details: { reason: how.reason },
            });
            return state;
          },
        }),
      );
      // This replica forgets the owner at once; the others when the announcement reaches them.
      if (!automatic) reporters.clear();
      return retired;
    },

    /**
     * Retires the workers silent for longer than TRADAI_WORKER_RETIRE_AFTER at `now` (the monitor
     * calls it; tests pass a later clock). Returns their ids.
     */
    async retireStale(now: Date): Promise<string[]> {
      if (!changes || !thresholds.retireAfterSeconds) return [];
      const { rows } = await db.query<{ worker_id: string; last_heartbeat: Date }>(
        `SELECT worker_id, last_heartbeat FROM workers
         WHERE retired_at IS NULL AND last_heartbeat < $1::timestamptz - make_interval(secs => $2)`,
        [now.toISOString(), thresholds.retireAfterSeconds],
      );
      const retired: string[] = [];
      for (const row of rows) {
        const reason = `no heartbeat since ${row.last_heartbeat.toISOString()}, more than TRADAI_WORKER_RETIRE_AFTER (${thresholds.retireAfterSeconds} s)`;
        try {
          const cutoff = new Date(now.getTime() - thresholds.retireAfterSeconds * 1000);
          await this.retire(row.worker_id, systemActor("worker retirement"), { reason, silentBefore: cutoff });
          retired.push(row.worker_id);
        } catch (error) {
          // One that cannot be retired now (the database away, gone meanwhile) is tried at the next check.
          if (error instanceof NotFoundError) continue;
          throw error;
        }
      }
      return retired;
    },

    async list(requestedEnvironment?: string): Promise<WorkerView[]> {
      const environment = requestedEnvironment === undefined ? null : environments.resolve(requestedEnvironment);
      const workers = (
        await db.query<WorkerRow>(
          `SELECT *, now() AS now FROM workers WHERE retired_at IS NULL AND ($1::text IS NULL OR environment = $1)
           ORDER BY environment, worker_id`,
          [environment],
        )
      ).rows;
      if (workers.length === 0) return [];
      const activations = (
        await db.query<ActivationRow & { environment: string }>(
          `SELECT id, environment, strategy_name, config_id, activated_at, ended_at FROM activations
           WHERE ($1::text IS NULL OR environment = $1) ORDER BY id`,
          [environment],
        )
      ).rows;
      const lags = await lagOnTheFeed(
        db,
        workers.flatMap((w) => w.applied.map((a) => ({ worker_id: w.worker_id, environment: w.environment, ...a }))),
      );
      // Where a staged rollout runs, each worker should run its cohort's config (the rollout's, or the active one).
      const cohorts = new Map<
        string,
        { rollout_id: string; assigned: boolean; expected_hash: string | null; expected_config_id: string | null }
      >();
      if (rollouts) {
        for (const w of workers) {
          for (const a of w.applied) {
            const rollout = await rollouts.open(a.strategy, w.environment);
            if (!rollout) continue;
            const reader = { worker_id: w.worker_id, labels: labelsOf(w.process) };
            const assigned = isAssigned(rollout.id, rollout.assignment, reader);
            const expected = await rollouts
              .resolveFor(a.strategy, w.environment, assigned ? reader : undefined)
              .catch(() => null);
            cohorts.set(`${w.worker_id}\0${a.strategy}`, {
              rollout_id: rollout.id,
              assigned,
              expected_hash: expected?.resolved_hash ?? null,
              expected_config_id: expected?.config_version_id ?? null,
            });
          }
        }
      }
      return workers.map((w) => {
        const now = w.now.getTime();
        const sinceHeartbeat = (now - w.last_heartbeat.getTime()) / 1000;
        const strategies = w.applied.map((a) => {
          const history = activations.filter((x) => x.environment === w.environment && x.strategy_name === a.strategy);
          const active = history.find((x) => x.ended_at === null);
          const lastOfApplied = history.filter((x) => x.config_id === a.config_version_id).at(-1);
          const after = lastOfApplied ? history.filter((x) => Number(x.id) > Number(lastOfApplied.id)) : history;
          const lag = lags.get(`${w.worker_id}\0${a.strategy}`);
          const cohort = cohorts.get(`${w.worker_id}\0${a.strategy}`);
          // What the worker should run is the environment's resolved hash (base values and catalog
          // defaults change it too, without a version): compared on the feed, not by version id.
          // Under a staged rollout, its cohort's hash: a rollout's events change some workers only.
          const upToDate = cohort
            ? cohort.expected_hash === a.resolved_hash ||
              (cohort.expected_config_id === a.config_version_id && lag !== undefined && lag.position >= lag.latest_seq)
            : lag
              ? lag.expected_hash === a.resolved_hash || lag.position >= lag.latest_seq
              : (active?.config_id ?? null) === a.config_version_id;
          return {
            strategy: a.strategy,
            applied_config_id: a.config_version_id,
            applied_hash: a.resolved_hash,
            applied_at: a.applied_at,
            active_config_id: active?.config_id ?? null,
            active_since: active ? active.activated_at.toISOString() : null,
            expected_hash: cohort ? cohort.expected_hash : (lag?.expected_hash ?? null),
            rollout: cohort ? { id: cohort.rollout_id, assigned: cohort.assigned } : null,
            up_to_date: upToDate,
            lag_changes: upToDate ? 0 : Math.max(cohort ? 1 : 0, lag?.behind ?? after.length),
            lag_versions: upToDate ? 0 : after.length,
            lag_seconds: upToDate
              ? 0
              : Math.max(0, (now - (lag?.first_behind_at ?? active?.activated_at ?? w.now).getTime()) / 1000),
          };
        });
        const status =
          sinceHeartbeat > thresholds.staleSeconds
            ? ("stale" as const)
            : w.refused.length > 0
              ? ("refused" as const)
              : strategies.some((s) => s.lag_seconds > thresholds.lagSeconds || s.lag_changes > thresholds.lagVersions)
                ? ("lagging" as const)
                : ("ok" as const);
        return {
          worker_id: w.worker_id,
          environment: w.environment,
          status,
          last_heartbeat: w.last_heartbeat.toISOString(),
          seconds_since_heartbeat: Math.round(sinceHeartbeat * 10) / 10,
          last_seq: Number(w.last_seq),
          pending_restart: w.pending_restart,
          pending_between_trades: w.pending_between_trades,
          process: w.process ?? null,
          labels: labelsOf(w.process),
          health: w.health,
          refused: w.refused,
          strategies,
        };
      });
    },
  };
}

export type WorkerService = ReturnType<typeof workerServiceFactory>;
