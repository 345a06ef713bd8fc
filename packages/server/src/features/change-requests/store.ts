/** @module SQL of change requests and their reviews. Expiry is derived: pending past expires_at. */
import type { ChangeRequest, ChangeRequestStatus, ValuesDiff } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface ChangeRequestRow {
  id: string | number;
  kind: "activation" | "promotion";
  strategy_name: string;
  environment: string;
  from_environment: string | null;
  config_version_id: string | number | null;
  config_id: string;
  config_hash: string;
  catalog_revision: number | null;
  base_config_id: string | null;
  diff: ValuesDiff;
  reasons: string[];
  approvals_required: number;
  author: string;
  created_at: Date;
  expires_at: Date;
  status: ChangeRequestStatus;
  stored_status: ChangeRequestStatus;
  closed_at: Date | null;
  closed_by: string | null;
  break_glass_reason: string | null;
}

interface ReviewRow {
  change_request_id: string | number;
  reviewer: string;
  decision: "approve" | "reject";
  comment: string | null;
  at: Date;
}

const SELECT = `SELECT cr.id, cr.kind, cr.strategy_name, cr.environment, cr.from_environment, cr.config_version_id,
  cr.config_id, cr.config_hash, cr.catalog_revision, cr.base_config_id, cr.diff, cr.reasons, cr.approvals_required,
  cr.author, cr.created_at, cr.expires_at, cr.closed_at, cr.closed_by, cr.break_glass_reason, cr.status AS stored_status,
  CASE WHEN cr.status = 'pending' AND cr.expires_at <= now() THEN 'expired' ELSE cr.status END AS status
  FROM change_requests cr`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function changeRequestStore(db: Queryable) {
  async function withReviews(rows: ChangeRequestRow[]): Promise<ChangeRequest[]> {
    if (rows.length === 0) return [];
    const reviews = (
      await db.query<ReviewRow>(
        "SELECT * FROM change_request_reviews WHERE change_request_id = ANY($1::bigint[]) ORDER BY id",
        [rows.map((r) => r.id)],
      )
    ).rows;
    return rows.map((row) => {
      const own = reviews.filter((r) => Number(r.change_request_id) === Number(row.id));
      return {
        id: Number(row.id),
        kind: row.kind,
        strategy_name: row.strategy_name,
        environment: row.environment,
        from_environment: row.from_environment,
        config_id: row.config_id,
        config_hash: row.config_hash,
        catalog_revision: row.catalog_revision,
        base_config_id: row.base_config_id,
        diff: row.diff,
        reasons: row.reasons,
        approvals_required: row.approvals_required,
        approvals: own.filter((r) => r.decision === "approve").length,
        author: row.author,
        created_at: row.created_at.toISOString(),
        expires_at: row.expires_at.toISOString(),
        status: row.status,
        closed_at: iso(row.closed_at),
        closed_by: row.closed_by,
        break_glass_reason: row.break_glass_reason,
        reviews: own.map((r) => ({
          reviewer: r.reviewer,
          decision: r.decision,
          comment: r.comment,
          at: r.at.toISOString(),
        })),
      };
    });
  }

  return {
    async get(id: number, lock = false): Promise<ChangeRequestRow | undefined> {
      const sql = lock ? `${SELECT} WHERE cr.id = $1 FOR UPDATE` : `${SELECT} WHERE cr.id = $1`;
      return (await db.query<ChangeRequestRow>(sql, [id])).rows[0];
    },
    async view(id: number): Promise<ChangeRequest | undefined> {
      const row = await this.get(id);
      return row && (await withReviews([row]))[0];
    },
    async list(q: {
      status?: ChangeRequestStatus | undefined;
      strategy?: string | undefined;
      environment?: string | undefined;
      limit: number;
      offset: number;
    }): Promise<{ items: ChangeRequest[]; total: number }> {
      const filter = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR strategy_name = $2)
        AND ($3::text IS NULL OR environment = $3)`;
      const params = [q.status ?? null, q.strategy ?? null, q.environment ?? null];
      const total = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${SELECT}) x ${filter}`, params))
        .rows[0];
      const rows = await db.query<ChangeRequestRow>(
        `SELECT * FROM (${SELECT}) x ${filter} ORDER BY id DESC LIMIT $4 OFFSET $5`,
        [...params, q.limit, q.offset],
      );
      return { items: await withReviews(rows.rows), total: Number(total?.n ?? 0) };
    },
    /** A pending, unexpired request that would apply exactly this. */
    async findPending(
      strategy: string,
      environment: string,
      configId: string,
      kind: string,
    ): Promise<number | undefined> {
      const rows = await db.query<{ id: string | number }>(
        `SELECT id FROM change_requests WHERE strategy_name = $1 AND environment = $2 AND config_id = $3 AND kind = $4
           AND status = 'pending' AND expires_at > now() ORDER BY id DESC LIMIT 1`,
        [strategy, environment, configId, kind],
      );
      return rows.rows[0] ? Number(rows.rows[0].id) : undefined;
    },
    async insert(cr: {
      kind: "activation" | "promotion";
      strategy: string;
      environment: string;
      fromEnvironment: string | null;
      versionId: number;
      configId: string;
      configHash: string;
      catalogRevision: number | null;
      baseConfigId: string | null;
      diff: ValuesDiff;
      reasons: string[];
      approvalsRequired: number;
      author: string;
      ttlHours: number;
    }): Promise<number> {
      const rows = await db.query<{ id: string | number }>(
        `INSERT INTO change_requests (kind, strategy_name, environment, from_environment, config_version_id, config_id,
           config_hash, catalog_revision, base_config_id, diff, reasons, approvals_required, author, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, clock_timestamp() + make_interval(hours => $14))
         RETURNING id`,
        [
          cr.kind,
          cr.strategy,
          cr.environment,
          cr.fromEnvironment,
          cr.versionId,
          cr.configId,
          cr.configHash,
          cr.catalogRevision,
          cr.baseConfigId,
          JSON.stringify(cr.diff),
          cr.reasons,
          cr.approvalsRequired,
          cr.author,
          cr.ttlHours,
        ],
      );
      return Number(rows.rows[0]?.id);
    },
    async insertReview(r: { id: number; reviewer: string; decision: "approve" | "reject"; comment: string | null }) {
      await db.query(
        "INSERT INTO change_request_reviews (change_request_id, reviewer, decision, comment) VALUES ($1, $2, $3, $4)",
        [r.id, r.reviewer, r.decision, r.comment],
      );
    },
    async approvals(id: number): Promise<number> {
      const rows = await db.query<{ n: string }>(
        "SELECT count(*) AS n FROM change_request_reviews WHERE change_request_id = $1 AND decision = 'approve'",
        [id],
      );
      return Number(rows.rows[0]?.n ?? 0);
    },
    async hasReviewed(id: number, reviewer: string): Promise<boolean> {
      const rows = await db.query(
        "SELECT 1 FROM change_request_reviews WHERE change_request_id = $1 AND reviewer = $2",
        [id, reviewer],
      );
      return rows.rows.length > 0;
    },
    async close(id: number, status: Exclude<ChangeRequestStatus, "pending">, by: string, breakGlassReason?: string) {
      await db.query(
        `UPDATE change_requests SET status = $2, closed_at = clock_timestamp(), closed_by = $3, break_glass_reason = $4
         WHERE id = $1`,
        [id, status, by, breakGlassReason ?? null],
      );
    },
  };
}
