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
  /** The connection was lost (it is being re-established). */
  onLost?(): void;
  onReconnected?(): void;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * `timeoutMs` replaces the statement budget for this transaction (migrations take longer).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /**
   * LISTENs on a channel: `onNotify` gets each payload. A lost connection is re-established (with
   * backoff) and then `onReconnected` runs: notifications sent meanwhile are lost, so the caller
   * catches up from its tables. Resolves once listening; returns how to stop.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The name of the database's circuit breaker (resilience/breakers.ts), and of its metric label. */
export const DATABASE_DEPENDENCY = "database";

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

/**
 * An error that says the database cannot be reached or did not answer in time: the connection
 * was refused or lost, the server is shutting down or starting, a statement or lock wait ran out.
 * Such a request may succeed later: it is answered 503 with Retry-After, never 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = pgErrorCode(error);
  // The database's circuit breaker is open: it failed fast instead of asking.
  if (code === "BREAKER_OPEN") return (error as { dependency?: string }).dependency === DATABASE_DEPENDENCY;
  if (code && (/^08/.test(code) || ["57P01", "57P02", "57P03", "57014", "55P03", "53300"].includes(code))) return true;
  if (code && ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"].includes(code))
    return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|Connection ended/i.test(
    message,
  );
}
