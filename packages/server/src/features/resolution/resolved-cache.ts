/**
 * @module Resolved configs kept in memory and dropped by the change feed: every change to a
 * resolved config writes an event, so while no event names a strategy and environment its
 * resolution cannot have changed, and the poll path (and every stream subscriber) shares one
 * resolution without asking the database. Concurrent misses share one query.
 *
 * That holds while the feed keeps reading its table (it does every 2 s). When it cannot (the
 * database is down or frozen), a kept config may be out of date: it is still answered, marked with
 * its age (`staleness`), for at most `staleMaxMs` (TRADAI_STALE_READS_MAX), then the database is asked again.
 */
import type { ResolvedConfig } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import { resolveStrategy } from "./resolve.js";

const MAX_ENTRIES = 10_000;

export interface ResolvedCache {
  /** @throws ConflictError when nothing is active, or a required value is missing (that answer is cached too) */
  get(strategy: string, environment: string): Promise<ResolvedConfig>;
  /** The resolved config, or null where get() would throw ConflictError. */
  getOrNull(strategy: string, environment: string): Promise<ResolvedConfig | null>;
  /**
   * For a poller, just before get(): how long the kept config has gone unconfirmed (an outage), or
   * null when it is current. A kept config unconfirmed for longer than `staleMaxMs` is dropped, so
   * get() asks the database. Synchronous: the poll path pays a clock read, not a promise.
   */
  staleness(strategy: string, environment: string): number | null;
  readonly size: number;
}

/** What the cache listens to: the change feed's events (distribution's ChangeFeed is one). */
export interface ChangeNotices {
  subscribe(listener: (event: { environment: string | null; strategy: string | null }) => void): unknown;
  /** When the feed last read every event committed (ms since the epoch). */
  readonly confirmedAt: number;
}

/** The feed reads its table every 2 s: a confirmation older than this means it cannot. */
const CONFIRMED_WITHIN_MS = 5000;

export function resolvedCache(
  db: Queryable,
  feed: ChangeNotices,
  { staleMaxMs = 60_000 }: { staleMaxMs?: number } = {},
): ResolvedCache {
  const entries = new Map<string, { environment: string; strategy: string; answer: Promise<ResolvedConfig> }>();
  feed.subscribe((event) => {
    if (event.environment === null && event.strategy === null) return entries.clear();
    for (const [key, entry] of entries) {
      if (
        (event.environment === null || event.environment === entry.environment) &&
        (event.strategy === null || event.strategy === entry.strategy)
      )
        entries.delete(key);
    }
  });
  const get = (strategy: string, environment: string) => {
    const key = `${environment}\0${strategy}`;
    const found = entries.get(key);
    if (found) return found.answer;
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const answer = resolveStrategy(db, strategy, environment, false);
    const entry = { environment, strategy, answer };
    entries.set(key, entry);
    // A failure other than "nothing to resolve" (the database, say) is not remembered.
    answer.catch((error) => {
      if (!(error instanceof ConflictError) && entries.get(key) === entry) entries.delete(key);
    });
    return answer;
  };
  return {
    get,
    staleness(strategy, environment) {
      const unconfirmedMs = Date.now() - feed.confirmedAt;
      if (unconfirmedMs <= CONFIRMED_WITHIN_MS) return null;
      const key = `${environment}\0${strategy}`;
      if (!entries.has(key)) return null;
      if (unconfirmedMs <= staleMaxMs) return Math.floor(unconfirmedMs / 1000);
      // Too old to serve: get() asks the database (its answer, or its outage as a 503).
      entries.delete(key);
      return null;
    },
    async getOrNull(strategy, environment) {
      try {
        return await get(strategy, environment);
      } catch (error) {
        if (error instanceof ConflictError) return null;
        throw error;
      }
    },
    get size() {
      return entries.size;
    },
  };
}
