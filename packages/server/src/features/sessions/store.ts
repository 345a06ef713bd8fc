/** @module Reading sessions (runs of kind paper or live) and their applied history. */
import type { HistoryEntry, SessionView } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface SessionFilter {
  worker?: string | undefined;
  environment?: string | undefined;
  strategy?: string | undefined;
  kind?: "paper" | "live" | undefined;
  status?: "open" | "ended" | undefined;
  at?: string | undefined;
  /** the reader's environments (null: all) */
  environments: readonly string[] | null;
}

interface SessionRow {
  job_id: string;
  kind: "paper" | "live";
  worker_id: string;
  instance: string;
  environment: string;
  strategy_name: string;
  labels: Record<string, string>;
  code_version: string | null;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  submitted_by: string;
  parameter_set_hash: string;
  applies: number;
  last_applied: RawEntry | null;
  in_effect: RawEntry | null;
}

/** A history row as `to_jsonb` gives it: times as text. */
interface RawEntry {
  seq: number;
  config_version_id: string | null;
  resolved_hash: string;
  parameter_set_hash: string;
  applied_at: string;
  boundary: string;
  latency_ms: number | null;
  pending_restart: string[];
  pending_between_trades: string[];
  held_shadow: string[];
  recorded_at: string;
}

const iso = (t: string | Date) => new Date(t).toISOString();

function toEntry(raw: RawEntry): HistoryEntry {
  return {
    seq: raw.seq,
    config_version_id: raw.config_version_id,
    resolved_hash: raw.resolved_hash,
    parameter_set_hash: raw.parameter_set_hash,
    applied_at: iso(raw.applied_at),
    boundary: raw.boundary,
    latency_ms: raw.latency_ms,
    pending_restart: raw.pending_restart,
    pending_between_trades: raw.pending_between_trades,
    held_shadow: raw.held_shadow,
    recorded_at: iso(raw.recorded_at),
  };
}

function toView(row: SessionRow, at: string | undefined): SessionView {
  return {
    session_id: row.job_id,
    kind: row.kind,
    mode: row.kind,
    worker_id: row.worker_id,
    instance: row.instance,
    environment: row.environment,
    strategy: row.strategy_name,
    labels: row.labels,
    code_version: row.code_version,
    status: row.status === "running" ? "open" : "ended",
    opened_at: row.started_at.toISOString(),
    ended_at: row.finished_at ? row.finished_at.toISOString() : null,
    reported_by: row.submitted_by,
    parameter_set_hash: row.parameter_set_hash,
    applies: row.applies,
    last_applied: row.last_applied ? toEntry(row.last_applied) : null,
    ...(at !== undefined ? { in_effect: row.in_effect ? toEntry(row.in_effect) : null } : {}),
  };
}

const SELECT = `
  SELECT r.job_id::text, r.kind, r.worker_id, r.instance, r.environment, r.strategy_name, r.labels, r.code_version,
    r.status, r.started_at, r.finished_at, r.submitted_by, r.parameter_set_hash,
    (SELECT count(*)::int FROM session_history h WHERE h.session_id = r.job_id) AS applies,
    (SELECT to_jsonb(h) FROM session_history h WHERE h.session_id = r.job_id ORDER BY h.seq DESC LIMIT 1) AS last_applied,
    (SELECT to_jsonb(h) FROM session_history h WHERE $1::timestamptz IS NOT NULL AND h.session_id = r.job_id
       AND h.applied_at <= $1::timestamptz ORDER BY h.applied_at DESC, h.seq DESC LIMIT 1) AS in_effect
  FROM runs r`;

export function sessionStore(db: Queryable) {
  return {
    async list(filter: SessionFilter, page: { limit: number; offset: number }) {
      const where = `WHERE r.kind IN ('paper', 'live')
        AND ($2::text IS NULL OR r.worker_id = $2) AND ($3::text IS NULL OR r.environment = $3)
        AND ($4::text IS NULL OR r.strategy_name = $4) AND ($5::text IS NULL OR r.kind = $5)
        AND ($6::text IS NULL OR (r.status = 'running') = ($6 = 'open'))
        AND ($1::timestamptz IS NULL OR (r.started_at <= $1::timestamptz
             AND (r.finished_at IS NULL OR r.finished_at > $1::timestamptz)))
        AND ($7::text[] IS NULL OR r.environment = ANY($7::text[]))`;
      const params = [
        filter.at ?? null,
        filter.worker ?? null,
        filter.environment ?? null,
        filter.strategy ?? null,
        filter.kind ?? null,
        filter.status ?? null,
        filter.environments ? [...filter.environments] : null,
      ];
      const [rows, count] = await Promise.all([
        db.query<SessionRow>(`${SELECT} ${where} ORDER BY r.started_at DESC, r.job_id LIMIT $8 OFFSET $9`, [
          ...params,
          page.limit,
          page.offset,
        ]),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM runs r ${where}`, params),
      ]);
      return { items: rows.rows.map((r) => toView(r, filter.at)), total: count.rows[0]?.total ?? 0 };
    },

    async find(id: string): Promise<SessionView | undefined> {
      const { rows } = await db.query<SessionRow>(`${SELECT} WHERE r.job_id = $2 AND r.kind IN ('paper', 'live')`, [
        null,
        id,
      ]);
      return rows[0] && toView(rows[0], undefined);
    },

    async history(id: string): Promise<HistoryEntry[]> {
      const { rows } = await db.query<RawEntry>(
        `SELECT to_jsonb(h) AS e FROM session_history h WHERE h.session_id = $1 ORDER BY h.seq`,
        [id],
      );
      return rows.map((r) => toEntry((r as unknown as { e: RawEntry }).e));
    },
  };
}
