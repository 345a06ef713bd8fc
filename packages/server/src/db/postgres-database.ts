/** @module A PostgreSQL server through a node-postgres pool. */
import pg from "pg";
import type { Database, ListenHandlers, Queryable, QueryResult } from "./database.js";

// int8 (counts, ids) as numbers: ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** An error after which the connection cannot be used again (it is destroyed, not returned to the pool). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (
    code === "ECONNRESET" ||
    code === "ECONNREFUSED" ||
    code === "EPIPE" ||
    code === "57P01" || // admin_shutdown
    code === "57P02" || // crash_shutdown
    code === "57P03" || // cannot_connect_now
    (error instanceof Error && /Connection terminated|not queryable/i.test(error.message))
  );
}

function wrap(q: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await q.query(sql, params as unknown[]);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await q.query(sql); // no parameters: the simple protocol, which accepts several statements
    },
  };
}

export async function openPostgresDatabase(connectionString: string, maxConnections = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: maxConnections, application_name: "tradai" });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  await pool.query("SELECT 1"); // fail at start-up, not at the first request
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client is not the pool's to watch: its connection dying (the server stopped,
      // a network cut) is an 'error' event that would end the process without a listener. The
      // query in flight rejects with the same error, and the client is destroyed on release.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on("error", onError);
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        if (!lost) await client.query("ROLLBACK").catch(() => {});
        lost ??= isConnectionError(error) ? (error as Error) : undefined;
        throw error;
      } finally {
        client.off("error", onError);
        client.release(lost);
      }
    },
    listen: (channel, handlers) => listenOn(connectionString, channel, handlers),
    close: () => pool.end(),
  };
}

/**
 * A dedicated connection that LISTENs (a pooled one would be handed to others). When it is lost,
 * it reconnects with backoff (0.25 s doubling to 5 s) and tells the caller to catch up.
 */
async function listenOn(connectionString: string, channel: string, handlers: ListenHandlers) {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const identifier = `"${channel.replaceAll('"', '""')}"`;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, application_name: "tradai-listen" });
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
