/** @module SQL of environment policy and freeze windows. */
import type { EnvironmentPolicy } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface PolicyRow extends EnvironmentPolicy {
  name: string;
  updated_by: string | null;
  updated_at: Date | null;
}

export interface FreezeRow {
  id: string | number;
  environment: string;
  reason: string;
  starts_at: Date | null;
  ends_at: Date | null;
  cron: string | null;
  duration_seconds: number | null;
  time_zone: string | null;
  created_by: string;
  created_at: Date;
}

const POLICY = "name, requires_approval, approvals_required, promote_from, break_glass_allowed, updated_by, updated_at";

export function environmentStore(db: Queryable) {
  return {
    async policies(): Promise<PolicyRow[]> {
      return (await db.query<PolicyRow>(`SELECT ${POLICY} FROM environments`)).rows;
    },
    async policy(name: string, lock = false): Promise<PolicyRow | undefined> {
      const sql = `SELECT ${POLICY} FROM environments WHERE name = $1${lock ? " FOR UPDATE" : ""}`;
      return (await db.query<PolicyRow>(sql, [name])).rows[0];
    },
    async updatePolicy(name: string, policy: EnvironmentPolicy, by: string): Promise<PolicyRow> {
      const rows = await db.query<PolicyRow>(
        `UPDATE environments SET requires_approval = $2, approvals_required = $3, promote_from = $4,
           break_glass_allowed = $5, updated_by = $6, updated_at = clock_timestamp()
         WHERE name = $1 RETURNING ${POLICY}`,
        [
          name,
          policy.requires_approval,
          policy.approvals_required,
          policy.promote_from,
          policy.break_glass_allowed,
          by,
        ],
      );
      return rows.rows[0] as PolicyRow;
    },
    async freezes(environment?: string): Promise<FreezeRow[]> {
      const rows = await db.query<FreezeRow>(
        `SELECT * FROM freeze_windows WHERE removed_at IS NULL AND ($1::text IS NULL OR environment = $1) ORDER BY id`,
        [environment ?? null],
      );
      return rows.rows;
    },
    async insertFreeze(f: Omit<FreezeRow, "id" | "created_at">): Promise<FreezeRow> {
      const rows = await db.query<FreezeRow>(
        `INSERT INTO freeze_windows (environment, reason, starts_at, ends_at, cron, duration_seconds, time_zone, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [f.environment, f.reason, f.starts_at, f.ends_at, f.cron, f.duration_seconds, f.time_zone, f.created_by],
      );
      return rows.rows[0] as FreezeRow;
    },
    async removeFreeze(environment: string, id: number, by: string): Promise<FreezeRow | undefined> {
      const rows = await db.query<FreezeRow>(
        `UPDATE freeze_windows SET removed_at = clock_timestamp(), removed_by = $3
         WHERE id = $1 AND environment = $2 AND removed_at IS NULL RETURNING *`,
        [id, environment, by],
      );
      return rows.rows[0];
    },
  };
}
