/**
 * @module The resolved configs changes committed, kept with each value's layer: when a worker
 * reports the hash it applied, its parameter set can say where each value came from, even long
 * after that config stopped being the active one.
 */
import type { Queryable } from "../db/database.js";
import type { ResolvedValues } from "./sources.js";

export interface KeptResolvedConfig {
  config_id: string;
  values: Record<string, unknown>;
  provenance: Record<string, { layer: string; source: string }>;
}

/** Written by the change kernel, in the change's transaction, for every config it resolved anew. */
export async function keepResolvedConfig(
  tx: Queryable,
  environment: string,
  strategy: string,
  resolved: ResolvedValues,
): Promise<void> {
  await tx.query(
    `INSERT INTO resolved_configs (environment, strategy_name, resolved_hash, config_id, "values", provenance)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) ON CONFLICT DO NOTHING`,
    [
      environment,
      strategy,
      resolved.resolved_hash,
      resolved.config_id,
      JSON.stringify(resolved.values),
      JSON.stringify(resolved.provenance),
    ],
  );
}

export async function findResolvedConfig(
  q: Queryable,
  environment: string,
  strategy: string,
  hash: string,
): Promise<KeptResolvedConfig | undefined> {
  const { rows } = await q.query<KeptResolvedConfig>(
    `SELECT config_id, "values", provenance FROM resolved_configs
     WHERE environment = $1 AND strategy_name = $2 AND resolved_hash = $3`,
    [environment, strategy, hash],
  );
  return rows[0];
}
