/**
 * docs/operations.md (issue 18): its `sh` blocks run as written against a real server and
 * PostgreSQL: a backup of a platform in use, its restore into an empty database, the platform
 * started on it, and the audit trail verified there (the chain, and every anchored head). Every
 * alert rule has its section in the guide.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../test-support/auth.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../test-support/postgres-server.js";
import { CLI_BIN, type ServerProcess, startServerProcess } from "../test-support/server-process.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const GUIDE = readFileSync(join(ROOT, "docs/operations.md"), "utf8");

/** The `sh` block after `<!-- tested: NAME -->`. */
function block(name: string): string {
  const m = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(GUIDE);
  if (!m?.[1]) throw new Error(`docs/operations.md has no tested block "${name}"`);
  return m[1];
}

let postgres: PostgresServer;
let work: string;
let bin: string;
const servers: ServerProcess[] = [];

/** Runs a block in bash, with `tradai` on PATH (the CLI of this checkout). */
function run(name: string, env: Record<string, string>) {
  const result = spawnSync("bash", ["-euo", "pipefail", "-c", block(name)], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env },
    encoding: "utf8",
  });
  expect(result.status, `block "${name}":\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  postgres = await startPostgresServer();
  work = mkdtempSync(join(tmpdir(), "tradai-ops-"));
  bin = join(work, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "tradai"), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`, { mode: 0o755 });
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await postgres?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("the operations guide", () => {
  it("backs up a platform in use, restores it into an empty database, and the audit trail holds there", async () => {
    const databaseUrl = await createDatabase(postgres.url, "ops");
    const anchors = join(work, "anchors.jsonl");
    const settings = {
      TRADAI_AUDIT_ANCHOR_SINK: `file://${anchors}`,
      TRADAI_AUDIT_ANCHOR_INTERVAL: "1",
      TRADAI_LAUNCHER: "none",
    };
    const live = await startServerProcess({ ...settings, TRADAI_DATABASE_URL: databaseUrl });
    servers.push(live);
    const api = createApiClient({
      baseUrl: live.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    for (let i = 1; i <= 5; i++) {
      const v = await api.createConfig({ strategy_name: "Ops", config_data: { stoploss: -0.01 * i } });
      await api.activate("Ops", v.config_id, { environment: "dev" });
    }
    // Wait for an anchor of the last entry, then back up.
    const { seq } = (await api.listAudit({ limit: 1 })).items[0] as { seq: number };
    for (let tries = 0; tries < 100; tries++) {
      const written = readFileSync(anchors, { encoding: "utf8", flag: "a+" }).trim().split("\n").filter(Boolean);
      if (written.some((l) => JSON.parse(l).seq >= seq)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const backupDir = join(work, "backup");
    mkdirSync(backupDir);
    run("backup", { DATABASE_URL: databaseUrl, BACKUP_DIR: backupDir });
    await live.stop();

    const restoreUrl = await createDatabase(postgres.url, "ops_restored");
    run("restore", { RESTORE_URL: restoreUrl, BACKUP_DIR: backupDir });
    const restored = await startServerProcess({ ...settings, TRADAI_DATABASE_URL: restoreUrl });
    servers.push(restored);
    const out = run("verify", {
      TRADAI_URL: restored.url,
      TRADAI_USER: "admin",
      TRADAI_PASSWORD: TEST_ADMIN_PASSWORD,
      ANCHORS: anchors,
    });
    expect(out).toMatch(/audit chain intact: \d+ entries/);
    expect(out).toMatch(/anchor/i);
    // What was active before the backup is active after the restore.
    const after = createApiClient({
      baseUrl: restored.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    expect((await after.resolve("Ops", { environment: "dev" })).values).toEqual({ stoploss: -0.05 });
  });

  it("has a section for every alert the platform ships", () => {
    const rules = readFileSync(join(ROOT, "deploy/prometheus/tradai-alerts.yml"), "utf8");
    const alerts = [...rules.matchAll(/alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const alert of alerts) expect(GUIDE, alert).toContain(`### ${alert}\n`);
  });

  it("names only commands the CLI has", () => {
    const commands = new Set([...GUIDE.matchAll(/`tradai ([a-z-]+(?: [a-z-]+)?)/g)].map((m) => m[1] as string));
    for (const command of commands) {
      const help = spawnSync(process.execPath, [CLI_BIN, ...command.split(" "), "--help"], { encoding: "utf8" });
      expect(help.status, `tradai ${command}: ${help.stderr}`).toBe(0);
      // commander answers an unknown subcommand's --help with its parent's help: the usage line tells.
      const last = command.split(" ").at(-1) as string;
      expect(help.stdout.split("\n")[0], `tradai ${command}`).toMatch(new RegExp(`^Usage: tradai .*\\b${last}\\b`));
    }
    expect(commands.size).toBeGreaterThan(5);
  });
});
