/**
 * @module Schema migrations: plain SQL files in `migrations/`, applied in name order at start-up,
 * each in its own transaction under an advisory lock so replicas starting together do not race.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { Database } from "./database.js";

const MIGRATIONS_DIR = new URL("../../migrations/", import.meta.url);
const MIGRATION_LOCK_KEY = 7_311_001; // any constant shared by all replicas

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(new URL(name, dir), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies pending migrations; refuses to start when an applied one was edited afterwards. Returns the names applied. */
export async function migrate(
  db: Database,
  migrations: Migration[] = loadMigrations(),
  /** a migration's budget: longer than a request's statement timeout */
  timeoutMs = 600_000,
): Promise<string[]> {
  await db
    .query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    .catch(async (error) => {
      // Two replicas racing on CREATE TABLE IF NOT EXISTS can collide on the catalog; the loser retries once.
      await db.query("SELECT 1 FROM schema_migrations LIMIT 1").catch(() => {
        throw error;
      });
    });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(
      async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        const { rows } = await tx.query<{ checksum: string }>(
          "SELECT checksum FROM schema_migrations WHERE name = $1",
          [migration.name],
        );
        if (rows[0]) {
          if (rows[0].checksum !== migration.checksum) {
            throw new Error(
              `migration ${migration.name} was changed after it was applied; add a new migration instead`,
            );
          }
          return false;
        }
        await tx.exec(migration.sql);
        await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [
          migration.name,
          migration.checksum,
        ]);
        return true;
      },
      { timeoutMs },
    );
    if (done) applied.push(migration.name);
  }
  return applied;
}
