/**
 * @module Which version each worker resolves while staged rollouts run: the open rollout of a
 * strategy and environment, kept in memory and dropped by the change feed like the resolved
 * configs (every rollout transition writes an event for its pair), and the rollout's resolved
 * config, shared by every assigned worker. A worker not named (an older library, a person) is
 * never assigned: it resolves the active version.
 */
import { type AssignableWorker, isAssigned, type ResolvedConfig } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import { resolveVersionOf } from "../resolution/resolve.js";
import type { ChangeNotices, ResolvedCache } from "../resolution/resolved-cache.js";
import type { RolloutRow } from "./store.js";

interface Entry {
  rollout: RolloutRow;
  /** what its assigned workers resolve */
  resolved: Promise<ResolvedConfig>;
}

/** Who reads: a worker (its id, and the labels it declared), or nobody in particular. */
export type Reader = AssignableWorker | undefined;

export interface RolloutBook {
  /** The open rollout of the pair, if any. */
  open(strategy: string, environment: string): Promise<RolloutRow | null>;
  /**
   * The ids of the open rollouts of the environment (of these strategies; null: all) that assign
   * the reader, joined: readers with the same key resolve the same configs there.
   */
  cohortKey(environment: string, reader: AssignableWorker, strategies: readonly string[] | null): Promise<string>;
  /** What the reader resolves: the rollout's version when one assigns it, else the active one. */
  resolveFor(strategy: string, environment: string, reader: Reader): Promise<ResolvedConfig>;
}

export function rolloutBook(
  db: Queryable,
  feed: ChangeNotices,
  resolved: ResolvedCache,
  /** Kept no longer than the resolved configs while the feed cannot confirm them (TRADAI_STALE_READS_MAX). */
  { staleMaxMs = 60_000 }: { staleMaxMs?: number } = {},
): RolloutBook {
  /** Per environment, its open rollouts by strategy. */
  const environments = new Map<string, Promise<Map<string, Entry>>>();
  feed.subscribe((event) => {
    if (event.environment === null) environments.clear();
    else environments.delete(event.environment);
  });
  const load = async (environment: string) => {
    const { rows } = await db.query<RolloutRow & { config_data: Record<string, unknown> }>(
      `SELECT r.*, v.config_data FROM rollouts r JOIN config_versions v ON v.id = r.config_version_id
       WHERE r.ended_at IS NULL AND r.environment = $1`,
      [environment],
    );
    const found = new Map<string, Entry>();
    for (const { config_data, ...rollout } of rows) {
      const answer = resolveVersionOf(db, rollout.strategy_name, environment, {
        config_id: rollout.config_id,
        config_data,
      });
      answer.catch(() => {}); // told to the reader that asks
      found.set(rollout.strategy_name, { rollout, resolved: answer });
    }
    return found;
  };
  const openIn = (environment: string) => {
    // An outage longer than stale reads may last: asked again (its answer, or the outage as a 503).
    if (Date.now() - feed.confirmedAt > staleMaxMs) environments.delete(environment);
    let found = environments.get(environment);
    if (!found) {
      const loading = load(environment);
      found = loading;
      environments.set(environment, loading);
      loading.catch(() => {
        if (environments.get(environment) === loading) environments.delete(environment);
      });
    }
    return found;
  };
  return {
    async open(strategy, environment) {
      return (await openIn(environment)).get(strategy)?.rollout ?? null;
    },
    async cohortKey(environment, reader, strategies) {
      const open = await openIn(environment);
      if (open.size === 0) return "";
      const ids: string[] = [];
      for (const [strategy, { rollout }] of open) {
        if (strategies && !strategies.includes(strategy)) continue;
        if (isAssigned(rollout.id, rollout.assignment, reader)) ids.push(rollout.id);
      }
      return ids.sort().join(",");
    },
    async resolveFor(strategy, environment, reader) {
      if (reader) {
        const entry = (await openIn(environment)).get(strategy);
        if (entry && isAssigned(entry.rollout.id, entry.rollout.assignment, reader)) {
          try {
            return await entry.resolved;
          } catch (error) {
            // The rollout's version resolves to nothing now: the worker keeps the active one.
            if (!(error instanceof ConflictError)) throw error;
          }
        }
      }
      return resolved.get(strategy, environment);
    },
  };
}
