/**
 * @module Shadow evidence: what workers would have applied of `shadow` parameters, and where. Each
 * observation is recorded once (a report resent after a lost answer carries the same worker, process
 * and id); the summary per key is what the catalog page shows before a parameter is switched to hot.
 */
import type { ShadowObservation } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface ShadowSummary {
  key: string;
  /** observations recorded */
  events: number;
  /** distinct workers that observed it */
  workers: number;
  first_at: string;
  last_at: string;
  /** observations made with a trade open */
  mid_trade: number;
  /** observations whose worker did not say whether a trade was open */
  trade_unknown: number;
}

export function shadowStore(db: Queryable) {
  return {
    /** Appends a report's observations; those already recorded (a resent report) are skipped. */
    async record(
      report: { workerId: string; instance: string; environment: string; reportedBy: string },
      observations: readonly ShadowObservation[],
    ): Promise<void> {
      if (observations.length === 0) return;
      await db.query(
        `INSERT INTO shadow_observations (worker_id, instance, id, environment, strategy_name, key, old_value,
           new_value, seq, boundary, open_trades, observed_at, reported_by)
         SELECT $1, $2, x.id, $3, x.strategy, x.key, x.old_value -> 'v', x.new_value -> 'v', x.seq, x.boundary, x.open_trades,
           x.at, $4
         FROM jsonb_to_recordset($5::jsonb) AS x(id integer, strategy text, key text, old_value jsonb,
           new_value jsonb, seq bigint, boundary text, open_trades integer, at timestamptz)
         ORDER BY x.id
         ON CONFLICT DO NOTHING`,
        [
          report.workerId,
          report.instance,
          report.environment,
          report.reportedBy,
          JSON.stringify(
            observations.map((o) => ({
              id: o.id,
              strategy: o.strategy,
              key: o.key,
              // wrapped, so a JSON null stays a value ('null'::jsonb); an absent side is SQL NULL
              old_value: "old" in o ? { v: o.old } : null,
              new_value: "new" in o ? { v: o.new } : null,
              seq: o.seq,
              boundary: o.boundary,
              open_trades: o.open_trades,
              at: o.at,
            })),
          ),
        ],
      );
    },

    /** Per key: how many observations, on how many workers, over which period, how many mid-trade. */
    async summary(filter: { environments: readonly string[]; since?: string | undefined }): Promise<ShadowSummary[]> {
      const { rows } = await db.query<{
        key: string;
        events: number;
        workers: number;
        first_at: Date;
        last_at: Date;
        mid_trade: number;
        trade_unknown: number;
      }>(
        `SELECT key, count(*)::int AS events, count(DISTINCT worker_id)::int AS workers,
           min(observed_at) AS first_at, max(observed_at) AS last_at,
           count(*) FILTER (WHERE open_trades > 0)::int AS mid_trade,
           count(*) FILTER (WHERE open_trades IS NULL)::int AS trade_unknown
         FROM shadow_observations
         WHERE environment = ANY($1::text[]) AND ($2::timestamptz IS NULL OR observed_at >= $2)
         GROUP BY key ORDER BY key`,
        [filter.environments, filter.since ?? null],
      );
      return rows.map((r) => ({ ...r, first_at: r.first_at.toISOString(), last_at: r.last_at.toISOString() }));
    },
  };
}

export type ShadowStore = ReturnType<typeof shadowStore>;
