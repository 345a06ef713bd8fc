/**
 * @module Which database the current vitest project runs on, and fresh databases of that kind:
 * in-memory PGlite, or a new database on the run's PostgreSQL server.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openPgliteDatabase, openPostgresDatabase } from "@tradai/server";
import { inject } from "vitest";
import { createDatabase } from "./postgres-server.js";

export type Backend = "pglite" | "postgres";

export const backend: Backend = process.env.TRADAI_TEST_DB === "postgres" ? "postgres" : "pglite";

/** A fresh, empty database (not yet migrated), open in this process. */
export async function freshDatabase(): Promise<Database> {
  if (backend === "pglite") return openPgliteDatabase();
  return openPostgresDatabase(await createDatabase(inject("postgresUrl")), 20);
}

/** A second connection pool to the same database (PostgreSQL only). */
export async function freshPostgresUrl(): Promise<string> {
  return createDatabase(inject("postgresUrl"));
}

/** TRADAI_* variables that point a server process at a fresh database of this backend. */
export async function freshDatabaseEnv(): Promise<Record<string, string>> {
  if (backend === "pglite") return { TRADAI_DATA_DIR: join(mkdtempSync(join(tmpdir(), "tradai-test-")), "data") };
  return { TRADAI_DATABASE_URL: await createDatabase(inject("postgresUrl")) };
}
