/**
 * @module Whether a value was served: a run used it (its parameter set, a backtest's or a session's
 * first), a paper or live worker applied it (a row of its session's history), or a worker reported
 * running a resolved config that held it. Immutable parameters keep a value once it was served.
 */
import type { Queryable } from "../../db/database.js";

/** Where `key` = `value` was served for the strategy in the environment, in words; null: never. */
export async function servedValue(
  q: Queryable,
  at: { strategy: string; environment: string; key: string; value: unknown },
): Promise<string | null> {
  const path = ["values", ...at.key.split(".")];
  const params = [at.environment, at.strategy, path, JSON.stringify(at.value), at.key.split(".")];
  const { rows } = await q.query<{ served: string }>(
    `(SELECT CASE WHEN r.kind IN ('paper', 'live') THEN r.kind || ' session of worker ' || r.worker_id
              ELSE r.kind || ' run ' || r.job_id END AS served
      FROM runs r JOIN parameter_sets s ON s.hash = r.parameter_set_hash
      WHERE r.environment = $1 AND r.strategy_name = $2 AND s.document #> $3::text[] = $4::jsonb LIMIT 1)
     UNION ALL
     (SELECT r.kind || ' session of worker ' || r.worker_id AS served
      FROM session_history h JOIN runs r ON r.job_id = h.session_id JOIN parameter_sets s ON s.hash = h.parameter_set_hash
      WHERE r.environment = $1 AND r.strategy_name = $2 AND s.document #> $3::text[] = $4::jsonb LIMIT 1)
     UNION ALL
     (SELECT 'worker ' || w.worker_id AS served
      FROM workers w CROSS JOIN LATERAL jsonb_array_elements(w.applied) AS a
      JOIN resolved_configs c ON c.environment = w.environment AND c.strategy_name = a->>'strategy'
        AND c.resolved_hash = a->>'resolved_hash'
      WHERE w.environment = $1 AND a->>'strategy' = $2 AND c."values" #> $5::text[] = $4::jsonb LIMIT 1)
     LIMIT 1`,
    params,
  );
  return rows[0]?.served ?? null;
}
