/** @module The `scheduled_changes` table (migration 030): written only inside governed changes. */
import type { RolloutGuard, RolloutStep, ScheduledChangeView } from "@tradai/core";
import { DateTime } from "luxon";
import type { Queryable } from "../../db/database.js";

export interface ScheduledRow {
  id: string;
  kind: "activation" | "rollback" | "rollout" | "change_request";
  environment: string;
  strategy_name: string | null;
  config_id: string | null;
  change_request_id: string | number | null;
  expected_active: string | null;
  rollout: { steps: RolloutStep[]; guards: RolloutGuard[] } | null;
  run_at: Date;
  time_zone: string;
  summary: string;
  actor: { name: string; kind: string; roles: string[]; environments: string[] | null; person: string | null };
  created_by: string;
  created_at: Date;
  state: "pending" | "done" | "refused" | "cancelled";
  outcome: string | null;
  ended_at: Date | null;
}

export function scheduledView(row: ScheduledRow): ScheduledChangeView {
  return {
    id: row.id,
    kind: row.kind,
    strategy: row.strategy_name,
    environment: row.environment,
    config_id: row.config_id,
    change_request_id: row.change_request_id === null ? null : Number(row.change_request_id),
    expected_active: row.expected_active,
    run_at: row.run_at.toISOString(),
    local_time: DateTime.fromJSDate(row.run_at, { zone: row.time_zone }).toISO({ suppressMilliseconds: true }) ?? "",
    time_zone: row.time_zone,
    summary: row.summary,
    state: row.state,
    outcome: row.outcome,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    ended_at: row.ended_at ? row.ended_at.toISOString() : null,
  };
}

export function scheduleStore(q: Queryable) {
  return {
    async insert(row: Omit<ScheduledRow, "created_at" | "state" | "outcome" | "ended_at">): Promise<void> {
      await q.query(
        `INSERT INTO scheduled_changes (id, kind, environment, strategy_name, config_id, expected_active, rollout, run_at,
           time_zone, summary, actor, created_by, change_request_id, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11::jsonb, $12, $13, 'pending')`,
        [
          row.id,
          row.kind,
          row.environment,
          row.strategy_name,
          row.config_id,
          row.expected_active,
          row.rollout === null ? null : JSON.stringify(row.rollout),
          row.run_at,
          row.time_zone,
          row.summary,
          JSON.stringify(row.actor),
          row.created_by,
          row.change_request_id,
        ],
      );
    },
    async find(id: string): Promise<ScheduledRow | undefined> {
      return (await q.query<ScheduledRow>("SELECT * FROM scheduled_changes WHERE id = $1", [id])).rows[0];
    },
    async list(filter: { environment?: string; state?: string; limit: number }): Promise<ScheduledRow[]> {
      const { rows } = await q.query<ScheduledRow>(
        `SELECT * FROM scheduled_changes WHERE ($1::text IS NULL OR environment = $1) AND ($2::text IS NULL OR state = $2)
         ORDER BY run_at DESC LIMIT $3`,
        [filter.environment ?? null, filter.state ?? null, filter.limit],
      );
      return rows;
    },
    /** Pending ones whose time has come, oldest first. */
    async due(now: Date): Promise<ScheduledRow[]> {
      const { rows } = await q.query<ScheduledRow>(
        "SELECT * FROM scheduled_changes WHERE state = 'pending' AND run_at <= $1 ORDER BY run_at, id",
        [now],
      );
      return rows;
    },
    /** Ends a pending one; false when it had ended already (another replica, a cancel). */
    async end(id: string, state: "done" | "refused" | "cancelled", outcome: string | null): Promise<boolean> {
      const { rows } = await q.query(
        `UPDATE scheduled_changes SET state = $2, outcome = $3, ended_at = clock_timestamp()
         WHERE id = $1 AND state = 'pending' RETURNING id`,
        [id, state, outcome],
      );
      return rows.length > 0;
    },
    /** Tells the outcome of one that ended without it (the change request it became). */
    async tell(id: string, outcome: string): Promise<void> {
      await q.query("UPDATE scheduled_changes SET outcome = $2 WHERE id = $1 AND outcome IS NULL", [id, outcome]);
    },
  };
}

/** The pending scheduled change that applies change request `id` at its time, if any. */
export async function pendingScheduleOf(q: Queryable, changeRequestId: number): Promise<ScheduledRow | undefined> {
  const { rows } = await q.query<ScheduledRow>(
    "SELECT * FROM scheduled_changes WHERE change_request_id = $1 AND state = 'pending'",
    [changeRequestId],
  );
  return rows[0];
}
