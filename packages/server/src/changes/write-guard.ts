/**
 * @module The guard that makes `commitChange` the only way to change state. The database the
 * features get refuses every write (INSERT, UPDATE, DELETE, NOTIFY) made outside a governed change,
 * except the reports a few subsystems make about what already happened (run progress and logs,
 * worker heartbeats, a token's last use), each limited to its own tables. A write that slips past
 * the kernel fails loudly instead of changing state without actor, audit entry and event.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Database, Queryable } from "../db/database.js";

type WriteContext = { kind: "governed" } | { kind: "report"; what: string; tables: ReadonlySet<string> };

const context = new AsyncLocalStorage<WriteContext>();

/** Runs `fn` as the inside of a governed change: every write is allowed (the kernel calls this). */
export const governed = <T>(fn: () => Promise<T>): Promise<T> => context.run({ kind: "governed" }, fn);

/** Whether the caller runs inside a governed change. */
export const inGovernedChange = () => context.getStore()?.kind === "governed";

export class UngovernedWriteError extends Error {
  constructor(table: string, where: string) {
    super(`a write to ${table} outside commitChange (${where}): every change of state goes through the change kernel`);
    this.name = "UngovernedWriteError";
  }
}

const NAME = "([a-z_][a-z0-9_]*)";
const WRITES = [
  new RegExp(`\\binsert\\s+into\\s+${NAME}`, "i"),
  new RegExp(`(?<!\\bfor\\s+(?:no\\s+key\\s+)?)\\bupdate\\s+${NAME}`, "i"),
  new RegExp(`\\bdelete\\s+from\\s+${NAME}`, "i"),
  new RegExp(`\\btruncate\\s+(?:table\\s+)?${NAME}`, "i"),
];

/** The table a statement writes to (`pg_notify` counts as a write), or null for a read. */
export function writtenTable(sql: string): string | null {
  for (const pattern of WRITES) {
    const m = pattern.exec(sql);
    if (m) return (m[1] as string).toLowerCase();
  }
  return /\bpg_notify\s*\(/i.test(sql) ? "(notify)" : null;
}

function check(sql: string): void {
  const table = writtenTable(sql);
  if (table === null) return;
  const now = context.getStore();
  if (now?.kind === "governed") return;
  if (now?.kind === "report" && now.tables.has(table)) return;
  throw new UngovernedWriteError(table, now?.kind === "report" ? `a report of ${now.what}` : "no governed change");
}

function guardQueryable(q: Queryable): Queryable {
  return {
    async query(sql, params) {
      check(sql);
      return q.query(sql, params);
    },
    async exec(sql) {
      check(sql);
      return q.exec(sql);
    },
  };
}

/** The database as the features see it: reads anywhere, writes only inside a governed change. */
export function guardWrites(db: Database): Database {
  return {
    kind: db.kind,
    ...guardQueryable(db),
    transaction: (fn) => db.transaction((tx) => fn(guardQueryable(tx))),
    listen: (channel, handlers) => db.listen(channel, handlers),
    close: () => db.close(),
  };
}

/**
 * The database for a subsystem that reports what happened (not a change of state): its writes are
 * allowed to `tables` only, wherever it is called from.
 */
export function reportingDatabase(db: Database, what: string, tables: readonly string[]): Database {
  const ctx: WriteContext = { kind: "report", what, tables: new Set(tables) };
  const run = <T>(fn: () => Promise<T>) => (inGovernedChange() ? fn() : context.run(ctx, fn));
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => run(() => q.query(sql, params)),
    exec: (sql) => run(() => q.exec(sql)),
  });
  return {
    kind: db.kind,
    ...wrap(db),
    transaction: (fn) => run(() => db.transaction((tx) => fn(wrap(tx)))),
    listen: (channel, handlers) => db.listen(channel, handlers),
    close: () => db.close(),
  };
}
