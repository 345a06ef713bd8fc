/** @module SQL of the audit trail: filtered pages, and the whole chain in order for verification. */
import type { AuditEntry, AuditQuery } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

interface AuditRow extends Omit<AuditEntry, "seq" | "at"> {
  seq: string | number;
  at: Date;
}

export const toAuditEntry = (row: AuditRow): AuditEntry => ({ ...row, seq: Number(row.seq), at: row.at.toISOString() });

export function auditStore(db: Queryable) {
  return {
    /** `scope`: only entries of these environments (and of none); null: all. */
    async list(
      query: AuditQuery,
      scope: readonly string[] | null = null,
    ): Promise<{ items: AuditEntry[]; total: number }> {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace("?", `$${params.length}`));
      };
      if (query.actor) add("actor = ?", query.actor);
      if (query.action) add("action = ?", query.action);
      if (query.target_type) add("target_type = ?", query.target_type);
      if (query.target_id) add("target_id = ?", query.target_id);
      if (query.since) add("at >= ?::timestamptz", query.since);
      if (query.until) add("at < ?::timestamptz", query.until);
      if (scope) add("(environment IS NULL OR environment = ANY(?::text[]))", [...scope]);
      const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
      const total = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_entries ${filter}`, params))
        .rows[0];
      const rows = await db.query<AuditRow>(
        `SELECT * FROM audit_entries ${filter} ORDER BY seq DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, query.limit, query.offset],
      );
      return { items: rows.rows.map(toAuditEntry), total: Number(total?.n ?? 0) };
    },

    async get(seq: number): Promise<AuditEntry | undefined> {
      const row = (await db.query<AuditRow>("SELECT * FROM audit_entries WHERE seq = $1", [seq])).rows[0];
      return row && toAuditEntry(row);
    },

    /** Entries after `afterSeq`, in chain order. */
    async page(afterSeq: number, size: number): Promise<AuditEntry[]> {
      const rows = await db.query<AuditRow>("SELECT * FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2", [
        afterSeq,
        size,
      ]);
      return rows.rows.map(toAuditEntry);
    },

    async head(): Promise<{ seq: number; hash: string }> {
      const row = (await db.query<{ seq: string | number; hash: string }>("SELECT seq, hash FROM audit_chain_head"))
        .rows[0];
      return { seq: Number(row?.seq ?? 0), hash: row?.hash ?? "" };
    },
  };
}
