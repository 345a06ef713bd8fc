/**
 * Fault: the audit trail tampered with in the database (issue 25, item 8), by someone who can
 * switch its triggers off. The server's tamper alarm must notice by itself: `/metrics` says
 * `tradai_audit_chain_ok 0`, the alert webhook hears it, GET /api/v1/audit/status and
 * `tradai audit status` name the entry. A chain rewritten consistently (every hash recomputed)
 * passes a plain verification, but not the anchors written outside the database, nor the alarm.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ApiClient, createApiClient } from "@tradai/client";
import { type AuditChainStatus, auditEntryHash, type JsonValue } from "@tradai/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_CLI_ENV, TEST_ADMIN_PASSWORD } from "../../../../test-support/auth.js";
import { eventually } from "../../../../test-support/platform.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../../test-support/postgres-server.js";
import { runCli, type ServerProcess, startServerProcess } from "../../../../test-support/server-process.js";
import { startWebhookSink, type WebhookSink } from "../../../../test-support/webhook-sink.js";

let postgres: PostgresServer;
let databaseUrl: string;
let server: ServerProcess;
let webhook: WebhookSink;
let api: ApiClient;
let files: string;
let anchorsFile: string;

beforeAll(async () => {
  postgres = await startPostgresServer();
  databaseUrl = await createDatabase(postgres.url, "tradai_tamper");
  webhook = await startWebhookSink();
  files = mkdtempSync(join(tmpdir(), "tradai-anchors-"));
  anchorsFile = join(files, "anchors.jsonl");
  server = await startServerProcess({
    TRADAI_DATABASE_URL: databaseUrl,
    TRADAI_LAUNCHER: "none",
    TRADAI_ALERT_WEBHOOK_URL: webhook.url,
    TRADAI_AUDIT_VERIFY_INTERVAL: "1",
    TRADAI_AUDIT_ANCHOR_SINK: pathToFileURL(anchorsFile).href,
    TRADAI_AUDIT_ANCHOR_INTERVAL: "1",
  });
  api = createApiClient({ baseUrl: server.url, credentials: { username: "admin", password: TEST_ADMIN_PASSWORD } });
});
afterAll(async () => {
  await server?.stop();
  await webhook?.close();
  await postgres?.stop();
  rmSync(files, { recursive: true, force: true });
});

/** As a superuser with the audit trail's triggers off: what a tamperer with database access does. */
async function asTamperer(work: (client: pg.Client) => Promise<void>) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await work(client);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

const chainOkMetric = async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^tradai_audit_chain_ok (\d+)$/m.exec(text)?.[1]);
};
const alerts = (kind: string) => webhook.received.filter((a) => (a as { kind?: string }).kind === kind);
const statusWhen = (what: string, check: (s: AuditChainStatus) => boolean) =>
  eventually(async () => {
    const s = await api.auditStatus();
    return check(s) ? s : undefined;
  }, what);

describe("the audit chain tampered with", () => {
  it("raises the alarm on an altered entry, and clears it once the chain holds again", async () => {
    for (let i = 0; i < 3; i++) {
      const { config_id } = await api.createConfig({ strategy_name: "Tamper", config_data: { i } });
      await api.activate("Tamper", config_id);
    }
    const head = (await api.verifyAudit()).head_seq;
    const good = await statusWhen("the new entries checked", (s) => s.ok && s.head_seq === head);
    expect(good.last_full_check_at).not.toBeNull();
    expect(await chainOkMetric()).toBe(1);

    let original = "";
    await asTamperer(async (db) => {
      original = (await db.query("SELECT actor FROM audit_entries WHERE seq = 2")).rows[0].actor;
      await db.query("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2");
    });
    const broken = await statusWhen("the alarm", (s) => !s.ok);
    expect(broken.first_broken).toEqual({ seq: 2, problem: "its content does not match its hash (altered)" });
    expect(await chainOkMetric()).toBe(0);
    await eventually(async () => (alerts("audit_chain_broken").length > 0 ? true : undefined), "the alert");
    expect(alerts("audit_chain_broken")[0]).toMatchObject({ seq: 2, source: "tradai" });
    const cli = await runCli(["audit", "status"], { url: server.url, env: ADMIN_CLI_ENV });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("audit chain BROKEN at seq 2");

    // Put back as it was: the next full check clears the alarm, and says so.
    await asTamperer(async (db) => {
      await db.query("UPDATE audit_entries SET actor = $1 WHERE seq = 2", [original]);
    });
    await statusWhen("the alarm cleared", (s) => s.ok);
    expect(await chainOkMetric()).toBe(1);
    await eventually(async () => (alerts("audit_chain_verified").length > 0 ? true : undefined), "the all-clear");
  });

  it("catches a consistent rewrite through the anchors and the alarm, where a plain verification cannot", async () => {
    const head = (await api.verifyAudit()).head_seq;
    await statusWhen("the anchor of the head", (s) => s.ok && s.anchor?.seq === head);
    const anchored = readFileSync(anchorsFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(anchored.at(-1)).toMatchObject({ seq: head });
    const ok = await runCli(["audit", "verify", "--anchors", anchorsFile], { url: server.url, env: ADMIN_CLI_ENV });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`anchors: all ${anchored.length} held by the chain`);

    // Rewrite entry 3 and recompute every hash after it, and the head: a chain that holds.
    await asTamperer(async (db) => {
      const { rows } = await db.query("SELECT * FROM audit_entries WHERE seq >= 3 ORDER BY seq");
      let prev = (await db.query("SELECT hash FROM audit_entries WHERE seq = 2")).rows[0].hash as string;
      for (const row of rows) {
        const fields = {
          seq: Number(row.seq),
          at: (row.at as Date).toISOString(),
          actor: Number(row.seq) === 3 ? "mallory" : row.actor,
          action: row.action,
          target_type: row.target_type,
          target_id: row.target_id,
          environment: row.environment,
          before: row.before as JsonValue | null,
          after: row.after as JsonValue | null,
          details: row.details as JsonValue | null,
          request_id: row.request_id,
          client_address: row.client_address,
          prev_hash: prev,
        };
        const hash = auditEntryHash(fields);
        await db.query("UPDATE audit_entries SET actor = $2, prev_hash = $3, hash = $4 WHERE seq = $1", [
          fields.seq,
          fields.actor,
          prev,
          hash,
        ]);
        prev = hash;
      }
      await db.query("UPDATE audit_chain_head SET hash = $1", [prev]);
    });
    expect((await api.verifyAudit()).ok).toBe(true);

    const caught = await runCli(["audit", "verify", "--anchors", anchorsFile], { url: server.url, env: ADMIN_CLI_ENV });
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain("audit chain intact");
    expect(caught.stdout).toMatch(/anchors: \d+ of \d+ NOT held by the chain/);
    expect(caught.stdout).toContain(
      `seq ${head}: entry ${head} has another hash than when it was anchored (rewritten)`,
    );

    const alarm = await statusWhen("the alarm", (s) => !s.ok);
    expect(alarm.first_broken?.problem).toContain("no longer has the hash it had when this server verified it");
    expect(await chainOkMetric()).toBe(0);
  });
});
