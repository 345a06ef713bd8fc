/** @module SQL of parameter sets: stored once per hash, never changed. */
import type { ParameterSet } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface ParameterSetRow {
  hash: string;
  document: ParameterSet;
  created_at: Date;
  run_count: number;
}

export function parameterSetStore(db: Queryable) {
  return {
    /** Inserts the set unless one with the same hash exists (same hash, same content). */
    async save(hash: string, document: ParameterSet, versionId: number | null): Promise<void> {
      await db.query(
        `INSERT INTO parameter_sets (hash, strategy_name, document, version_id) VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (hash) DO NOTHING`,
        [hash, document.strategy, JSON.stringify(document), versionId],
      );
    },

    async find(hash: string): Promise<ParameterSetRow | undefined> {
      const { rows } = await db.query<ParameterSetRow>(
        `SELECT hash, document, created_at, (SELECT count(*)::int FROM runs r WHERE r.parameter_set_hash = p.hash) AS run_count
         FROM parameter_sets p WHERE hash = $1`,
        [hash],
      );
      return rows[0];
    },
  };
}
