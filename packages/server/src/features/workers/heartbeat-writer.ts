/**
 * @module Heartbeats written in batches. Thousands of workers report after each change; writing
 * each report in its own transaction (and fsync) would cost the database more than the change's
 * delivery. Reports are gathered for a few milliseconds and written in one multi-row upsert; each
 * report is answered only once its batch is committed.
 */
import type { HeartbeatBody } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import { ownedElsewhere } from "./credentials.js";

export interface HeartbeatRow {
  worker_id: string;
  environment: string;
  applied: HeartbeatBody["applied"];
  last_seq: number;
  pending_restart: string[];
  pending_between_trades: string[];
  process: HeartbeatBody["process"] | null;
  reported_by: string;
  /** The configs a live worker refuses now (catalog warnings). */
  refused?: HeartbeatBody["refused"];
  /** The worker's last report (it stopped cleanly): it leaves the view. */
  final?: boolean;
  /** The counts of its signals this process reported (cumulative). */
  events?: Record<string, number | string | null>;
  /** The health figures of this report (none: {}). */
  health?: Record<string, number>;
}

/** What the worker reported before this batch: its applied configs and its signals' counts. */
export interface PreviousReport {
  applied: Applied;
  events: Record<string, number | string | null>;
}

type Applied = HeartbeatBody["applied"];

interface Waiter {
  /** null: the worker's first report; undefined: a newer report of it in the same batch superseded this one. */
  resolve(previous: PreviousReport | null | undefined): void;
  reject(error: unknown): void;
}

const SAME_PROCESS_AFTER_GOODBYE = `workers.retired_by = 'stopped' AND EXCLUDED.retired_by IS NULL
      AND workers.process->>'instance' IS NOT NULL AND workers.process->>'instance' = EXCLUDED.process->>'instance'`;

// The previous report is read in the same statement (the CTE's snapshot precedes the upsert).
// Rows are sorted by worker id so that two replicas' batches lock rows in the same order.
const UPSERT = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(worker_id text, environment text, applied jsonb,
      last_seq bigint, pending_restart jsonb, pending_between_trades jsonb, process jsonb, reported_by text, final boolean, events jsonb, refused jsonb,
      health jsonb)
  ), previous AS (
    SELECT w.worker_id, w.applied, w.events FROM workers w JOIN input i USING (worker_id)
  )
  INSERT INTO workers (worker_id, environment, applied, last_seq, pending_restart, pending_between_trades, process,
    reported_by, retired_at, retired_by, events, refused, health)
  SELECT worker_id, environment, applied, last_seq, pending_restart, pending_between_trades, process, reported_by,
    CASE WHEN final THEN clock_timestamp() END, CASE WHEN final THEN 'stopped' END, COALESCE(events, '{}'),
    COALESCE(refused, '[]'), COALESCE(health, '{}')
  FROM input ORDER BY worker_id
  ON CONFLICT (worker_id) DO UPDATE SET environment = EXCLUDED.environment, applied = EXCLUDED.applied,
    last_seq = EXCLUDED.last_seq, pending_restart = EXCLUDED.pending_restart,
    pending_between_trades = EXCLUDED.pending_between_trades, process = EXCLUDED.process,
    reported_by = EXCLUDED.reported_by, last_heartbeat = clock_timestamp(),
    -- A goodbye stands against a report of the same process that was still on its way (a restart
    -- is another instance, and comes back).
    retired_at = CASE WHEN ${SAME_PROCESS_AFTER_GOODBYE} THEN workers.retired_at ELSE EXCLUDED.retired_at END,
    retired_by = CASE WHEN ${SAME_PROCESS_AFTER_GOODBYE} THEN workers.retired_by ELSE EXCLUDED.retired_by END,
    events = EXCLUDED.events,
    refused = EXCLUDED.refused,
    health = EXCLUDED.health
  -- Only the credential that owns the worker id reports for it (the report claimed it first).
  WHERE workers.reported_by = EXCLUDED.reported_by
  RETURNING worker_id, (SELECT p.applied FROM previous p WHERE p.worker_id = workers.worker_id) AS previous,
    (SELECT p.events FROM previous p WHERE p.worker_id = workers.worker_id) AS previous_events`;

export interface HeartbeatWriter {
  /** Stores the report; resolves with the worker's previous report (null: its first; undefined: superseded in its batch). */
  write(row: HeartbeatRow): Promise<PreviousReport | null | undefined>;
  /** Writes what is waiting. */
  stop(): Promise<void>;
}

export function heartbeatWriter(db: Queryable, gatherMs = 20): HeartbeatWriter {
  let batch = new Map<string, { row: HeartbeatRow; waiters: Waiter[] }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = async () => {
    timer = undefined;
    const current = batch;
    batch = new Map();
    if (current.size === 0) return;
    try {
      const { rows } = await db.query<{
        worker_id: string;
        previous: Applied | null;
        previous_events: Record<string, number | string | null> | null;
      }>(UPSERT, [JSON.stringify([...current.values()].map((e) => e.row))]);
      const previous = new Map(
        rows.map((r) => [
          r.worker_id,
          r.previous === null ? null : { applied: r.previous, events: r.previous_events ?? {} },
        ]),
      );
      for (const [workerId, { row, waiters }] of current) {
        if (!previous.has(workerId)) {
          // Another credential took the id between the check and this write.
          for (const w of waiters) w.reject(new ConflictError(ownedElsewhere(workerId, row.reported_by)));
          continue;
        }
        // Only the last report of a worker in a batch is compared with the one before the batch.
        const last = waiters.length - 1;
        for (const [i, waiter] of waiters.entries())
          waiter.resolve(i === last ? (previous.get(workerId) ?? null) : undefined);
      }
    } catch (error) {
      for (const { waiters } of current.values()) for (const w of waiters) w.reject(error);
    }
  };

  return {
    write(row) {
      return new Promise((resolve, reject) => {
        const entry = batch.get(row.worker_id);
        if (entry && entry.row.reported_by !== row.reported_by) {
          reject(new ConflictError(ownedElsewhere(row.worker_id, row.reported_by)));
          return;
        }
        if (entry) {
          entry.row = row; // the newer report wins
          entry.waiters.push({ resolve, reject });
        } else batch.set(row.worker_id, { row, waiters: [{ resolve, reject }] });
        timer ??= setTimeout(() => {
          flushing = flushing.then(flush);
        }, gatherMs);
      });
    },
    async stop() {
      if (timer) {
        clearTimeout(timer);
        flushing = flushing.then(flush);
      }
      await flushing;
    },
  };
}
