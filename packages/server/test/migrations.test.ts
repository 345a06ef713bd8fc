import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { backend, freshDatabase, freshPostgresUrl } from "../../../test-support/backend.js";
import { loadMigrations, migrate } from "../src/db/migrate.js";
import { openPostgresDatabase } from "../src/db/postgres-database.js";

describe(`migrations (${backend})`, () => {
  it("applies every migration once, records it, and is a no-op the second time", async () => {
    const db = await freshDatabase();
    try {
      const all = loadMigrations().map((m) => m.name);
      expect(all.length).toBeGreaterThan(0);
      expect(await migrate(db)).toEqual(all);
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
      expect(rows.map((r) => r.name)).toEqual(all);
    } finally {
      await db.close();
    }
  });

  it("refuses to start when an applied migration was edited", async () => {
    const db = await freshDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), "tradai-mig-"));
      writeFileSync(join(dir, "001_first.sql"), "CREATE TABLE t (x int);");
      const url = pathToFileURL(`${dir}/`);
      await migrate(db, loadMigrations(url));
      writeFileSync(join(dir, "001_first.sql"), "CREATE TABLE t (x bigint);");
      await expect(migrate(db, loadMigrations(url))).rejects.toThrow(/001_first.sql was changed/);
    } finally {
      await db.close();
    }
  });

  it("rolls a failing migration back entirely", async () => {
    const db = await freshDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), "tradai-mig-"));
      writeFileSync(join(dir, "001_bad.sql"), "CREATE TABLE half (x int); SELECT no_such_function();");
      await expect(migrate(db, loadMigrations(pathToFileURL(`${dir}/`)))).rejects.toThrow();
      const { rows } = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half'");
      expect(rows).toEqual([]);
      expect((await db.query("SELECT 1 FROM schema_migrations")).rows).toEqual([]);
    } finally {
      await db.close();
    }
  });

  // Only a server has several processes migrating one database; PGlite lives in one process.
  if (backend === "postgres")
    it("replicas starting together do not race", async () => {
      const url = await freshPostgresUrl();
      const replicas = await Promise.all(Array.from({ length: 4 }, () => openPostgresDatabase(url, 2)));
      try {
        const applied = await Promise.all(replicas.map((db) => migrate(db)));
        expect(applied.flat().sort()).toEqual(loadMigrations().map((m) => m.name));
      } finally {
        await Promise.all(replicas.map((db) => db.close()));
      }
    });
});
