/** @module SQL of change requests and their reviews. Expiry is derived: pending past expires_at. */
import type { ChangeRequest, ChangeRequestKind, ChangeRequestStatus, ValuesDiff } from "@tradai/core";
import type { Command } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";

export interface ChangeRequestRow {
  id: string | number;
  kind: ChangeRequestKind;
  summary: string | null;
  strategy_name: string | null;
  environment: string | null;
  environments: string[];
  from_environment: string | null;
  config_version_id: string | number | null;
  config_id: string | null;
  config_hash: string | null;
  command: Command;
  effect: ChangeRequest["effect"];
  effect_hash: string | null;
  author_person: string | null;
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
  reviewer_person: string | null;
  decision: "approve" | "reject";
  comment: string | null;
  at: Date;
}

const SELECT = `SELECT cr.id, cr.kind, cr.summary, cr.strategy_name, cr.environment, cr.environments, cr.from_environment,
  cr.config_version_id, cr.config_id, cr.config_hash, cr.catalog_revision, cr.base_config_id, cr.diff, cr.reasons,
  cr.approvals_required, cr.command, cr.effect, cr.effect_hash, cr.author, cr.author_person, cr.created_at, cr.expires_at, cr.closed_at, cr.closed_by, cr.break_glass_reason, cr.status AS stored_status,
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
      const approvers = new Set(
        own.filter((r) => r.decision === "approve" && r.reviewer_person !== null).map((r) => r.reviewer_person),
      );
      return {
        id: Number(row.id),
        kind: row.kind,
        summary: row.summary ?? `${row.kind} of ${row.config_id} of ${row.strategy_name} in ${row.environment}`,
        strategy_name: row.strategy_name,
        environment: row.environment,
        environments: row.environments,
        from_environment: row.from_environment,
        config_id: row.config_id,
        config_hash: row.config_hash,
        catalog_revision: row.catalog_revision,
        base_config_id: row.base_config_id,
        diff: row.diff,
        reasons: row.reasons,
        approvals_required: row.approvals_required,
        approvals: approvers.size,
        effect: row.effect ?? null,
        effect_hash: row.effect_hash,
        author: row.author,
        author_person: row.author_person,
        created_at: row.created_at.toISOString(),
        expires_at: row.expires_at.toISOString(),
        status: row.status,
        closed_at: iso(row.closed_at),
        closed_by: row.closed_by,
        break_glass_reason: row.break_glass_reason,
        reviews: own.map((r) => ({
          reviewer: r.reviewer,
          reviewer_person: r.reviewer_person,
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
    async list(
      q: {
        status?: ChangeRequestStatus | undefined;
        strategy?: string | undefined;
        environment?: string | undefined;
        limit: number;
        offset: number;
      },
      scope: readonly string[] | null = null,
    ): Promise<{ items: ChangeRequest[]; total: number }> {
      const filter = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR strategy_name = $2)
        AND ($3::text IS NULL OR environment = $3 OR $3 = ANY(environments))
        AND ($4::text[] IS NULL OR (cardinality(environments) > 0 AND environments <@ $4::text[]))`;
      const params = [q.status ?? null, q.strategy ?? null, q.environment ?? null, scope ? [...scope] : null];
      const total = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${SELECT}) x ${filter}`, params))
        .rows[0];
      const rows = await db.query<ChangeRequestRow>(
        `SELECT * FROM (${SELECT}) x ${filter} ORDER BY id DESC LIMIT $5 OFFSET $6`,
        [...params, q.limit, q.offset],
      );
      return { items: await withReviews(rows.rows), total: Number(total?.n ?? 0) };
    },
    async insertReview(r: {
      id: number;
      reviewer: string;
      person: string | null;
      decision: "approve" | "reject";
      comment: string | null;
    }) {
      await db.query(
        `INSERT INTO change_request_reviews (change_request_id, reviewer, reviewer_person, decision, comment)
         VALUES ($1, $2, $3, $4, $5)`,
        [r.id, r.reviewer, r.person, r.decision, r.comment],
      );
    },
    /** Whether this person has reviewed the request already (with any of their credentials). */
    async hasReviewed(id: number, person: string): Promise<boolean> {
      const rows = await db.query(
        "SELECT 1 FROM change_request_reviews WHERE change_request_id = $1 AND reviewer_person = $2",
        [id, person],
      );
      return rows.rows.length > 0;
    },
  };
}
