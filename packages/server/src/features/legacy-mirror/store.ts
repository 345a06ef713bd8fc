/**
 * @module The legacy mirrors set (governed) and how far each got (a report): where each stands on
 * the change feed of its environment and strategy, as a worker's lag is measured.
 */
import type { LegacyMirrorTarget, LegacyMirrorView } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

interface ViewRow {
  environment: string;
  strategy_name: string;
  enabled: boolean;
  target: LegacyMirrorTarget;
  updated_by: string;
  updated_at: Date;
  mirrored_seq: string | number | null;
  mirrored_hash: string | null;
  mirrored_config_id: string | null;
  mirrored_at: Date | null;
  attempts: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  latest_seq: string | number | null;
  expected_hash: string | null;
  behind: number;
  first_behind_at: Date | null;
  now: Date;
}

const VIEW = `
  SELECT m.environment, m.strategy_name, m.enabled, m.target, m.updated_by, m.updated_at,
    s.mirrored_seq, s.mirrored_hash, s.mirrored_config_id, s.mirrored_at, s.attempts, s.last_error, s.next_attempt_at,
    latest.seq AS latest_seq, latest.resolved_hash AS expected_hash,
    (SELECT count(*)::int FROM config_events e WHERE e.environment = m.environment AND e.strategy = m.strategy_name
       AND e.seq > COALESCE(s.mirrored_seq, 0)) AS behind,
    (SELECT min(e.at) FROM config_events e WHERE e.environment = m.environment AND e.strategy = m.strategy_name
       AND e.seq > COALESCE(s.mirrored_seq, 0)) AS first_behind_at,
    now() AS now
  FROM legacy_mirrors m
  LEFT JOIN legacy_mirror_state s ON s.environment = m.environment AND s.strategy_name = m.strategy_name
  LEFT JOIN LATERAL (SELECT e.seq, e.resolved_hash FROM config_events e
    WHERE e.environment = m.environment AND e.strategy = m.strategy_name ORDER BY e.seq DESC LIMIT 1) latest ON true`;

function toView(r: ViewRow): LegacyMirrorView {
  const mirroredSeq = Number(r.mirrored_seq ?? 0);
  const latestSeq = r.latest_seq === null ? null : Number(r.latest_seq);
  const upToDate =
    latestSeq === null || mirroredSeq >= latestSeq || (r.mirrored_hash !== null && r.mirrored_hash === r.expected_hash);
  return {
    environment: r.environment,
    strategy: r.strategy_name,
    enabled: r.enabled,
    target: r.target,
    status: !r.enabled ? "off" : upToDate ? "ok" : r.last_error ? "failing" : "lagging",
    up_to_date: upToDate,
    latest_seq: latestSeq,
    expected_hash: r.expected_hash,
    mirrored_seq: mirroredSeq,
    mirrored_hash: r.mirrored_hash,
    mirrored_config_id: r.mirrored_config_id,
    mirrored_at: r.mirrored_at?.toISOString() ?? null,
    lag_changes: upToDate ? 0 : r.behind,
    lag_seconds:
      upToDate || !r.first_behind_at ? 0 : Math.max(0, (r.now.getTime() - r.first_behind_at.getTime()) / 1000),
    attempts: r.attempts ?? 0,
    last_error: r.last_error,
    next_attempt_at: r.next_attempt_at?.toISOString() ?? null,
    updated_by: r.updated_by,
    updated_at: r.updated_at.toISOString(),
  };
}

export function legacyMirrorStore(db: Queryable) {
  return {
    async list(environment?: string): Promise<LegacyMirrorView[]> {
      const { rows } = await db.query<ViewRow>(
        `${VIEW} WHERE ($1::text IS NULL OR m.environment = $1) ORDER BY m.environment, m.strategy_name`,
        [environment ?? null],
      );
      return rows.map(toView);
    },

    async find(environment: string, strategy: string) {
      const { rows } = await db.query<ViewRow>(`${VIEW} WHERE m.environment = $1 AND m.strategy_name = $2`, [
        environment,
        strategy,
      ]);
      return rows[0] ? toView(rows[0]) : undefined;
    },

    /** Enabled mirrors behind their feed whose next attempt is due. */
    async due(): Promise<{ environment: string; strategy: string; target: LegacyMirrorTarget; latest_seq: number }[]> {
      const { rows } = await db.query<{
        environment: string;
        strategy_name: string;
        target: LegacyMirrorTarget;
        latest_seq: string | number;
      }>(
        `SELECT m.environment, m.strategy_name, m.target, latest.seq AS latest_seq
         FROM legacy_mirrors m
         LEFT JOIN legacy_mirror_state s ON s.environment = m.environment AND s.strategy_name = m.strategy_name
         JOIN LATERAL (SELECT max(e.seq) AS seq FROM config_events e
           WHERE e.environment = m.environment AND e.strategy = m.strategy_name) latest ON latest.seq IS NOT NULL
         WHERE m.enabled AND latest.seq > COALESCE(s.mirrored_seq, 0)
           AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now())
           AND (s.lease_until IS NULL OR s.lease_until < now())`,
      );
      return rows.map((r) => ({
        environment: r.environment,
        strategy: r.strategy_name,
        target: r.target,
        latest_seq: Number(r.latest_seq),
      }));
    },

    /** One replica at a time writes a mirror: the one whose claim took (for `seconds`), holding `token`. */
    async claim(
      environment: string,
      strategy: string,
      seconds: number,
      token: string,
    ): Promise<{ attempts: number } | undefined> {
      await db.query(
        "INSERT INTO legacy_mirror_state (environment, strategy_name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [environment, strategy],
      );
      const { rows } = await db.query<{ attempts: number }>(
        `UPDATE legacy_mirror_state SET lease_until = now() + $3 * interval '1 second', lease_token = $4
         WHERE environment = $1 AND strategy_name = $2 AND (lease_until IS NULL OR lease_until < now())
         RETURNING attempts`,
        [environment, strategy, seconds, token],
      );
      return rows[0];
    },

    /** Progress, recorded only under the lease the writer still holds. */
    async mirrored(
      environment: string,
      strategy: string,
      token: string,
      done: { seq: number; hash: string; configId: string },
    ): Promise<void> {
      await db.query(
        `UPDATE legacy_mirror_state SET mirrored_seq = GREATEST(mirrored_seq, $4), mirrored_hash = $5,
           mirrored_config_id = $6, mirrored_at = now(), attempts = 0, last_error = NULL, next_attempt_at = NULL,
           lease_until = NULL, lease_token = NULL
         WHERE environment = $1 AND strategy_name = $2 AND lease_token = $3`,
        [environment, strategy, token, done.seq, done.hash, done.configId],
      );
    },

    async failed(
      environment: string,
      strategy: string,
      token: string,
      failure: { attempts: number; error: string; retryInSeconds: number },
    ): Promise<void> {
      await db.query(
        `UPDATE legacy_mirror_state SET attempts = $4, last_error = $5,
           next_attempt_at = now() + $6 * interval '1 second', lease_until = NULL, lease_token = NULL
         WHERE environment = $1 AND strategy_name = $2 AND lease_token = $3`,
        [environment, strategy, token, failure.attempts, failure.error, failure.retryInSeconds],
      );
    },
  };
}
