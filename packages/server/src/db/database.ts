/**
 * @module The one database interface the stores use: PostgreSQL, either PGlite in process or a
 * server through node-postgres. Same SQL on both.
 */

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string): void;
  onReconnected?(): void;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTENs on a channel: `onNotify` gets each payload. A lost connection is re-established (with
   * backoff) and then `onReconnected` runs: notifications sent meanwhile are lost, so the caller
   * catches up from its tables. Resolves once listening; returns how to stop.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** SQLSTATE codes the services react to. */
export const pgErrorCodes = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  serializationFailure: "40001",
  deadlockDetected: "40P01",
  raiseException: "P0001",
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
