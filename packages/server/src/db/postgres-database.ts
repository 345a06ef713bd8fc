/** @module A PostgreSQL server through a node-postgres pool. */
import pg from "pg";
import { trackedBreaker } from "../resilience/breakers.js";
import {
  DATABASE_DEPENDENCY,
  type Database,
  isDatabaseUnavailable,
  type ListenHandlers,
  pgErrorCode,
  type Queryable,
  type QueryResult,
} from "./database.js";

// int8 (counts, ids) as numbers: ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** node-postgres honours a query's own `query_timeout` (a read timeout); its types do not list it. */
const timed = (config: pg.QueryConfig, waitMs: number) => ({ ...config, query_timeout: waitMs }) as pg.QueryConfig;

/** `waitMs`: how long to wait for any answer (a frozen server never enforces its own timeouts). */
function wrap(q: pg.Pool | pg.PoolClient, waitMs: number): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await q.query(timed({ text: sql, values: params as unknown[] }, waitMs));
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      // no parameters: the simple protocol, which accepts several statements
      await q.query(timed({ text: sql }, waitMs));
    },
  };
}

export interface PostgresOptions {
  maxConnections?: number;
  /** Waiting for a connection (new or from the pool). */
  connectTimeoutMs?: number;
  /** A statement's budget on the server; the client waits this plus 2 s for any answer. */
  statementTimeoutMs?: number;
  /** Waiting for a row or table lock. */
  lockTimeoutMs?: number;
}

/** How long the client waits beyond the server's own statement timeout before it gives up. */
const ANSWER_GRACE_MS = 2000;

export async function openPostgresDatabase(
  connectionString: string,
  options: number | PostgresOptions = {},
): Promise<Database> {
  const o = typeof options === "number" ? { maxConnections: options } : options;
  const statementMs = o.statementTimeoutMs ?? 30_000;
  const waitMs = statementMs + ANSWER_GRACE_MS;
  const pool = new pg.Pool({
    connectionString,
    max: o.maxConnections ?? 10,
    application_name: "tradai",
    connectionTimeoutMillis: o.connectTimeoutMs ?? 5000,
    options: `-c statement_timeout=${statementMs} -c lock_timeout=${o.lockTimeoutMs ?? 10_000}`,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  await pool.query("SELECT 1"); // fail at start-up, not at the first request
  // After 5 outage answers in a row (refused, lost, timed out), requests fail at once (503) for 2 s
  // instead of each waiting out a timeout against a frozen or dead server; then one probe.
  const breaker = trackedBreaker(DATABASE_DEPENDENCY, { failureThreshold: 5, openMs: 2000, isFailure: isOutage });
  const direct = wrap(pool, waitMs);
  return {
    kind: "postgres",
    query: (sql, params) => breaker.run(() => direct.query(sql, params)),
    exec: (sql) => breaker.run(() => direct.exec(sql)),
    transaction: (fn, options) => breaker.run(() => transaction(fn, options)),
    listen: (channel, handlers) => listenOn(connectionString, channel, handlers, o.connectTimeoutMs ?? 5000),
    close: async () => {
      breaker.forget();
      await pool.end();
    },
  };

  async function transaction<T>(
    fn: (tx: Queryable) => Promise<T>,
    { timeoutMs }: { timeoutMs?: number } = {},
  ): Promise<T> {
    const client = await pool.connect();
    // A checked-out client is not the pool's to watch: its connection dying (the server stopped,
    // a network cut) is an 'error' event that would end the process without a listener. The
    // query in flight rejects with the same error, and the client is destroyed on release.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on("error", onError);
    const budget = timeoutMs ?? statementMs;
    const tx = wrap(client, budget + ANSWER_GRACE_MS);
    try {
      await tx.query("BEGIN");
      if (timeoutMs !== undefined) {
        await tx.query("SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true)", [
          String(timeoutMs),
        ]);
      }
      const result = await fn(tx);
      await tx.query("COMMIT");
      return result;
    } catch (error) {
      // A connection that failed or did not answer in time is in no known state: destroy it.
      lost ??= isDatabaseUnavailable(error) ? (error as Error) : undefined;
      if (!lost) await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.off("error", onError);
      client.release(lost);
    }
  }
}

/** An outage, not an answer: a lock wait or a serialization failure says the server is there. */
const isOutage = (error: unknown) =>
  isDatabaseUnavailable(error) && !["55P03", "53300"].includes(pgErrorCode(error) ?? "");

/**
 * A dedicated connection that LISTENs (a pooled one would be handed to others). When it is lost,
 * it reconnects with backoff (0.25 s doubling to 5 s) and tells the caller to catch up.
 */
async function listenOn(connectionString: string, channel: string, handlers: ListenHandlers, connectTimeoutMs: number) {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const identifier = `"${channel.replaceAll('"', '""')}"`;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString,
      application_name: "tradai-listen",
      connectionTimeoutMillis: connectTimeoutMs,
    });
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.onNotify(message.payload ?? "");
    });
    next.on("error", () => reconnect(250));
    next.on("end", () => reconnect(250));
    await next.connect();
    await next.query(`LISTEN ${identifier}`);
    client = next;
  };

  const reconnect = (delay: number) => {
    if (stopped || retry) return;
    const lost = client;
    client = undefined;
    if (lost) handlers.onLost?.();
    lost?.removeAllListeners("end");
    lost?.end().catch(() => {});
    retry = setTimeout(async () => {
      retry = undefined;
      try {
        await connect();
        handlers.onReconnected?.();
      } catch {
        reconnect(Math.min(delay * 2, 5000));
      }
    }, delay);
    retry.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const last = client;
    client = undefined;
    last?.removeAllListeners("end");
    await last?.end().catch(() => {});
  };
}
