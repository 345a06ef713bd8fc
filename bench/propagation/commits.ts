/**
 * @module When an activation committed, as closely as the benchmark can see it: its own LISTEN
 * connection on the platform's change-feed channel. PostgreSQL delivers a NOTIFY only once the
 * transaction has committed, so the moment it arrives here is at or just after the commit (the
 * same notification wakes every replica). The event row's `at` (clock_timestamp() at its INSERT,
 * inside the transaction) is at or just before it: the commit lies between the two.
 */
import pg from "pg";
import { now } from "./rpc.js";

// The channel the server notifies on (packages/server/src/features/distribution/events.ts).
const CHANNEL = "tradai_config_events";

export interface Commit {
  seq: number;
  /** When the NOTIFY arrived here (ms, this process's clock). */
  notified: number;
}

export async function listenForCommits(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let waiter: ((commit: Commit) => void) | undefined;
  client.on("notification", (message) => {
    const commit = { seq: Number(message.payload), notified: now() };
    const w = waiter;
    waiter = undefined;
    w?.(commit);
  });
  await client.query(`LISTEN ${CHANNEL}`);
  return {
    /** The next commit announced after this call (call it before sending the request). */
    expectNext(timeoutMs = 30_000): Promise<Commit> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no NOTIFY within ${timeoutMs} ms`)), timeoutMs);
        waiter = (commit) => {
          clearTimeout(timer);
          resolve(commit);
        };
      });
    },
    /** The event row: what it made active, and its `at` in epoch ms (microsecond precision). */
    async event(seq: number): Promise<{ config_id: string | null; at_ms: number }> {
      const { rows } = await client.query<{ config_id: string | null; at_ms: string }>(
        "SELECT config_id, (extract(epoch FROM at) * 1000)::float8 AS at_ms FROM config_events WHERE seq = $1",
        [seq],
      );
      if (!rows[0]) throw new Error(`no config event ${seq}`);
      return { config_id: rows[0].config_id, at_ms: Number(rows[0].at_ms) };
    },
    close: () => client.end(),
  };
}

export type CommitListener = Awaited<ReturnType<typeof listenForCommits>>;
