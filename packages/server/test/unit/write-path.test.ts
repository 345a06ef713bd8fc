/**
 * The one write path, checked in the source: only the change kernel opens transactions and writes
 * audit entries and feed events; features describe changes and hand them to `commitChange`. And
 * the write guard tells reads from writes.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  governed,
  guardWrites,
  reportingDatabase,
  UngovernedWriteError,
  writtenTable,
} from "../../src/changes/write-guard.js";
import type { Database } from "../../src/db/database.js";

const src = new URL("../../src/", import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
const sources = files(src).map((path) => ({ path: relative(src, path), text: readFileSync(path, "utf8") }));

describe("the one write path in the source", () => {
  it("only the change kernel opens a transaction (the database layer implements them)", () => {
    const opening = sources.filter((f) => /\.transaction\(/.test(f.text)).map((f) => f.path);
    expect(opening.filter((p) => !p.startsWith("db/") && !p.startsWith("changes/")).sort()).toEqual([]);
    expect(opening).toContain("changes/kernel.ts");
  });

  it("only the change kernel writes audit entries and feed events", () => {
    const writers = sources.filter((f) => /\b(appendAudit|appendConfigEvent)\(/.test(f.text)).map((f) => f.path);
    expect(writers.filter((p) => !p.startsWith("changes/"))).toEqual([]);
    const inserting = sources
      .filter((f) => /INSERT INTO (audit_entries|config_events)\b/.test(f.text))
      .map((f) => f.path)
      .sort();
    expect(inserting).toEqual(["changes/audit-writer.ts", "changes/event-writer.ts"]);
  });

  it("features import the kernel, never each other's audit, auth or distribution code to write", () => {
    const reaching = sources.filter(
      (f) => f.path.startsWith("features/") && /from "\.\.\/(audit|distribution)\/(recorder|events)\.js"/.test(f.text),
    );
    expect(reaching.map((f) => f.path)).toEqual([]);
  });
});

describe("the write guard", () => {
  it("tells the table a statement writes, and reads from writes", () => {
    expect(writtenTable("INSERT INTO audit_entries (seq) VALUES (1)")).toBe("audit_entries");
    expect(writtenTable("update  runs SET status = 'x'")).toBe("runs");
    expect(writtenTable("DELETE FROM config_versions WHERE id = 1")).toBe("config_versions");
    expect(writtenTable("WITH next AS (SELECT 1 FROM runs FOR UPDATE SKIP LOCKED) UPDATE runs r SET x = 1")).toBe(
      "runs",
    );
    expect(writtenTable("SELECT pg_notify($1, $2)")).toBe("(notify)");
    expect(writtenTable("SELECT * FROM strategies WHERE name = $1 FOR UPDATE")).toBeNull();
    expect(writtenTable("SELECT 1 FROM x FOR NO KEY UPDATE")).toBeNull();
    expect(writtenTable("SELECT pg_advisory_xact_lock($1)")).toBeNull();
  });

  it("refuses a write outside a governed change, allows it inside, and lets a report write its own tables only", async () => {
    const seen: string[] = [];
    const fake: Database = {
      kind: "pglite",
      query: async (sql) => {
        seen.push(sql);
        return { rows: [], rowCount: 0 };
      },
      exec: async () => {},
      transaction: (fn) => fn(fake),
      listen: async () => async () => {},
      close: async () => {},
    };
    const db = guardWrites(fake);
    await db.query("SELECT 1");
    await expect(db.query("INSERT INTO users (username) VALUES ('x')")).rejects.toBeInstanceOf(UngovernedWriteError);
    await expect(db.transaction((tx) => tx.query("UPDATE users SET role = 'admin'"))).rejects.toThrow(
      /a write to users outside commitChange/,
    );
    await governed(() => db.query("INSERT INTO users (username) VALUES ('y')"));
    const reports = reportingDatabase(db, "worker heartbeats", ["workers"]);
    await reports.query("INSERT INTO workers (worker_id) VALUES ('w')");
    await expect(reports.query("INSERT INTO users (username) VALUES ('z')")).rejects.toThrow(
      /a report of worker heartbeats/,
    );
    expect(seen).toEqual([
      "SELECT 1",
      "INSERT INTO users (username) VALUES ('y')",
      "INSERT INTO workers (worker_id) VALUES ('w')",
    ]);
  });
});
