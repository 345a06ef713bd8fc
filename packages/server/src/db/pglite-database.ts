/** @module PGlite (PostgreSQL compiled to WASM) in this process, on a data directory or in memory. */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./data-dir-lock.js";
import type { Database, Queryable, QueryResult } from "./database.js";

function wrap(q: Pick<PGlite, "query" | "exec">): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await q.query<T>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

/** `dataDir` undefined: in memory (tests). PGlite runs one query at a time; transactions hold it exclusively. */
export async function openPgliteDatabase(dataDir?: string): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    kind: "pglite",
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // In process: the connection cannot be lost, so onReconnected never runs.
    listen: (channel, { onNotify }) => pg.listen(channel, onNotify),
    async close() {
      try {
        await pg.close();
      } finally {
        unlock();
      }
    },
  };
}
