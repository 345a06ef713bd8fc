/**
 * @module What the workers a staged rollout assigns resolve: the rollout's version over the same
 * layers (catalog, the environment's base) as everyone else. The change kernel reads it before and
 * after every change that may alter a pair, so a rollout's steps, and the changes under a running
 * rollout, are judged on what the assigned workers get.
 */
import { type RolloutAssignment, stepWorkers } from "@tradai/core";
import type { Pair, RolloutAtPair } from "../../changes/sources.js";
import { pairKey } from "../../changes/sources.js";
import type { Queryable } from "../../db/database.js";
import { resolvePinned } from "../resolution/resolve.js";
import type { RolloutRow } from "./store.js";

/** The open rollouts of the pairs, with what their assigned workers resolve, by pairKey. */
export async function rolloutsAt(q: Queryable, pairs: readonly Pair[]): Promise<Map<string, RolloutAtPair>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await q.query<RolloutRow & { config_data: Record<string, unknown> }>(
    `SELECT r.*, v.config_data FROM rollouts r JOIN config_versions v ON v.id = r.config_version_id
     WHERE r.ended_at IS NULL AND (r.strategy_name, r.environment) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [pairs.map((p) => p.strategy), pairs.map((p) => p.environment)],
  );
  const resolved = await resolvePinned(
    q,
    rows.map((r) => ({
      strategy: r.strategy_name,
      environment: r.environment,
      version: { config_id: r.config_id, config_data: r.config_data },
    })),
  );
  const found = new Map<string, RolloutAtPair>();
  for (const r of rows) {
    const key = pairKey({ strategy: r.strategy_name, environment: r.environment });
    found.set(key, {
      id: r.id,
      step: r.step,
      state: r.state,
      workers: stepWorkers(r.steps[r.step] ?? { share: 1, bake_seconds: 0 }),
      assignment: r.assignment as RolloutAssignment,
      resolved: resolved.get(key) ?? null,
    });
  }
  return found;
}
