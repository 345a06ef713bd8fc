/**
 * @module The `rollouts` table (migration 029): a staged rollout's binding (version, hash,
 * steps, guards), and where it is (state, step, what the steps so far assign). Written only inside
 * the rollout changes; the table itself refuses what must never happen (see the migrations).
 */
import type { RolloutAssignment, RolloutGuard, RolloutState, RolloutStep, RolloutView } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface RolloutRow {
  id: string;
  environment: string;
  strategy_name: string;
  config_version_id: string | number;
  config_id: string;
  config_hash: string;
  from_config_id: string | null;
  steps: RolloutStep[];
  guards: RolloutGuard[];
  state: RolloutState;
  step: number;
  step_started_at: Date;
  assignment: RolloutAssignment;
  change_request_id: string | number | null;
  created_by: string;
  created_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}

/** When the step in force has baked (null: paused or ended). */
export function nextAt(row: RolloutRow): Date | null {
  if (row.state !== "running") return null;
  const bake = row.steps[row.step]?.bake_seconds ?? 0;
  return new Date(row.step_started_at.getTime() + bake * 1000);
}

export function viewOfRollout(row: RolloutRow): RolloutView {
  const next = nextAt(row);
  return {
    id: row.id,
    strategy: row.strategy_name,
    environment: row.environment,
    config_id: row.config_id,
    config_hash: row.config_hash,
    from_config_id: row.from_config_id,
    steps: row.steps,
    guards: row.guards,
    state: row.state,
    step: row.step,
    step_started_at: row.step_started_at.toISOString(),
    next_at: next ? next.toISOString() : null,
    assignment: { threshold: row.assignment.threshold, selectors: row.assignment.selectors },
    change_request_id: row.change_request_id === null ? null : Number(row.change_request_id),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    ended_at: row.ended_at ? row.ended_at.toISOString() : null,
    end_reason: row.end_reason,
  };
}

export function rolloutStore(q: Queryable) {
  return {
    async open(strategy: string, environment: string): Promise<RolloutRow | undefined> {
      const { rows } = await q.query<RolloutRow>(
        "SELECT * FROM rollouts WHERE strategy_name = $1 AND environment = $2 AND ended_at IS NULL",
        [strategy, environment],
      );
      return rows[0];
    },
    /** Every rollout not ended (optionally of one environment). */
    async allOpen(environment?: string): Promise<RolloutRow[]> {
      const { rows } = await q.query<RolloutRow>(
        "SELECT * FROM rollouts WHERE ended_at IS NULL AND ($1::text IS NULL OR environment = $1) ORDER BY created_at",
        [environment ?? null],
      );
      return rows;
    },
    async find(id: string): Promise<RolloutRow | undefined> {
      const { rows } = await q.query<RolloutRow>("SELECT * FROM rollouts WHERE id = $1", [id]);
      return rows[0];
    },
    async list(filter: { environment?: string; strategy?: string; limit: number }): Promise<RolloutRow[]> {
      const { rows } = await q.query<RolloutRow>(
        `SELECT * FROM rollouts WHERE ($1::text IS NULL OR environment = $1) AND ($2::text IS NULL OR strategy_name = $2)
         ORDER BY created_at DESC LIMIT $3`,
        [filter.environment ?? null, filter.strategy ?? null, filter.limit],
      );
      return rows;
    },
    async insert(row: Omit<RolloutRow, "created_at" | "ended_at" | "end_reason">): Promise<void> {
      await q.query(
        `INSERT INTO rollouts (id, environment, strategy_name, config_version_id, config_id, config_hash, from_config_id,
           steps, guards, state, step, step_started_at, assignment, change_request_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13::jsonb, $14, $15)`,
        [
          row.id,
          row.environment,
          row.strategy_name,
          row.config_version_id,
          row.config_id,
          row.config_hash,
          row.from_config_id,
          JSON.stringify(row.steps),
          JSON.stringify(row.guards),
          row.state,
          row.step,
          row.step_started_at,
          JSON.stringify(row.assignment),
          row.change_request_id,
          row.created_by,
        ],
      );
    },
    async moveTo(id: string, step: number, assignment: RolloutAssignment, at: Date): Promise<void> {
      await q.query("UPDATE rollouts SET step = $2, assignment = $3::jsonb, step_started_at = $4 WHERE id = $1", [
        id,
        step,
        JSON.stringify(assignment),
        at,
      ]);
    },
    /** Pause or resume; a resumed step bakes again in full (its guards watched nothing while paused). */
    async setState(id: string, state: "running" | "paused", at: Date): Promise<void> {
      await q.query(
        `UPDATE rollouts SET state = $2, step_started_at = CASE WHEN $2 = 'running' THEN $3 ELSE step_started_at END
         WHERE id = $1`,
        [id, state, at],
      );
    },
    async end(id: string, state: "completed" | "rolled_back" | "aborted", reason: string, at: Date): Promise<void> {
      await q.query("UPDATE rollouts SET state = $2, ended_at = $3, end_reason = $4 WHERE id = $1", [
        id,
        state,
        at,
        reason,
      ]);
    },
  };
}
