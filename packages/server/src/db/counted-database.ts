/**
 * @module Counts the statements the platform sends its database (tradai_database_statements_total),
 * so that what a replica costs PostgreSQL per change, per heartbeat or per reconnect is measured,
 * not guessed (docs/capacity.md). Reads and writes apart; statements in a transaction count one
 * by one, its BEGIN and COMMIT do not.
 */
import { writtenTable } from "../changes/write-guard.js";
import type { Database, Queryable } from "./database.js";

export type StatementKind = "read" | "write";

function countQueryable(q: Queryable, count: (kind: StatementKind) => void): Queryable {
  return {
    query(sql, params) {
      count(writtenTable(sql) === null ? "read" : "write");
      return q.query(sql, params);
    },
    exec(sql) {
      count(writtenTable(sql) === null ? "read" : "write");
      return q.exec(sql);
    },
  };
}

export function countedDatabase(db: Database, count: (kind: StatementKind) => void): Database {
  return {
    kind: db.kind,
    ...countQueryable(db, count),
    transaction: (fn, options) => db.transaction((tx) => fn(countQueryable(tx, count)), options),
    listen: (channel, handlers) => db.listen(channel, handlers),
    close: () => db.close(),
  };
}
