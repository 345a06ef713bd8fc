/**
 * @module This replica's view of the change feed: it LISTENs for new seqs and reads the events
 * from the table in seq order, so whatever the notifications do (lost with a connection,
 * coalesced, late) every subscriber gets every event once, in order. A slow timer catches up too.
 */
import type { ChangedKey, ConfigEventKind } from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import { CONFIG_EVENTS_CHANNEL } from "../../changes/event-writer.js";
import type { Database, Queryable } from "../../db/database.js";

export interface ConfigEvent {
  seq: number;
  at: string;
  kind: ConfigEventKind;
  environment: string | null;
  strategy: string | null;
  config_id: string | null;
  resolved_hash: string | null;
  changes: ChangedKey[];
  actor: string;
}

interface EventRow extends Omit<ConfigEvent, "seq" | "at"> {
  seq: string | number;
  at: Date;
}

const toEvent = (row: EventRow): ConfigEvent => ({ ...row, seq: Number(row.seq), at: row.at.toISOString() });

export async function eventsAfter(q: Queryable, seq: number, limit = 1000): Promise<ConfigEvent[]> {
  const { rows } = await q.query<EventRow>("SELECT * FROM config_events WHERE seq > $1 ORDER BY seq LIMIT $2", [
    seq,
    limit,
  ]);
  return rows.map(toEvent);
}

export async function headSeq(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ seq: string | number }>("SELECT seq FROM config_event_head");
  return Number(rows[0]?.seq ?? 0);
}

/** The oldest seq still in the table (events before it were pruned), or head + 1 when empty. */
export async function oldestSeq(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ seq: string | number | null }>("SELECT min(seq) AS seq FROM config_events");
  return rows[0]?.seq == null ? (await headSeq(q)) + 1 : Number(rows[0].seq);
}

const RECENT_EVENTS = 1000;

export type FeedListener = (event: ConfigEvent) => void;

export interface ChangeFeed {
  /** The last seq this replica has handed to its listeners. */
  readonly seq: number;
  /**
   * When (ms since the epoch) the feed last read the table to its end: every change committed
   * before then has been handed out. It reads at least every `safetyPollMs`.
   */
  readonly confirmedAt: number;
  /** Whether its LISTEN connection is up (while it is not, changes arrive only by the 2 s poll). */
  readonly listening: boolean;
  subscribe(listener: FeedListener): () => void;
  /** A recent event this replica handed out (the last 1,000), by seq. */
  recent(seq: number): ConfigEvent | undefined;
  /**
   * Every event after `seq` up to what this replica has handed out, from memory; undefined when
   * memory does not hold them all (older than the last 1,000, or before this replica started):
   * then the table has them. A reconnecting subscriber resumes without a query.
   */
  recentAfter(seq: number): ConfigEvent[] | undefined;
  /** Reads and hands out what is new (also called on notify, reconnect and by the timer). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startChangeFeed(
  db: Database,
  log: () => FastifyBaseLogger | undefined,
  safetyPollMs = 2000,
): Promise<ChangeFeed> {
  const listeners = new Set<FeedListener>();
  const recentEvents = new Map<number, ConfigEvent>();
  let seq = await headSeq(db);
  // Every event after this seq is in recentEvents (the feed's start, then the last one evicted).
  let heldAfter = seq;
  let confirmedAt = Date.now();
  let draining: Promise<void> | undefined;
  let again = false;

  const drainOnce = async () => {
    for (;;) {
      const events = await eventsAfter(db, seq);
      for (const event of events) {
        seq = event.seq;
        recentEvents.set(event.seq, event);
        if (recentEvents.size > RECENT_EVENTS) {
          heldAfter = recentEvents.keys().next().value as number;
          recentEvents.delete(heldAfter);
        }
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            log()?.error({ err: error, seq: event.seq }, "a change-feed subscriber failed");
          }
        }
      }
      if (events.length < 1000) return;
    }
  };

  const drain = (): Promise<void> => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      try {
        do {
          again = false;
          const startedAt = Date.now();
          await drainOnce();
          confirmedAt = startedAt;
        } while (again);
      } catch (error) {
        log()?.error({ err: error }, "reading the change feed failed; will retry");
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  };

  let listening = true;
  const unlisten = await db.listen(CONFIG_EVENTS_CHANNEL, {
    onNotify: () => void drain(),
    onLost: () => {
      listening = false;
      log()?.warn("change feed: LISTEN connection lost; reconnecting (the table is read every 2 s meanwhile)");
    },
    onReconnected: () => {
      listening = true;
      log()?.warn("change feed: LISTEN connection re-established; catching up from the table");
      void drain();
    },
  });
  const timer = setInterval(() => void drain(), safetyPollMs);
  timer.unref();

  return {
    get seq() {
      return seq;
    },
    get confirmedAt() {
      return confirmedAt;
    },
    get listening() {
      return listening;
    },
    recent: (at) => recentEvents.get(at),
    recentAfter(after) {
      if (after < heldAfter || after > seq) return undefined;
      const events: ConfigEvent[] = [];
      for (const event of recentEvents.values()) if (event.seq > after) events.push(event);
      return events;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    drain,
    async stop() {
      clearInterval(timer);
      await unlisten();
      await draining;
    },
  };
}
