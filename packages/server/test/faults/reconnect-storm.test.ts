/**
 * Fault: a 1,000-client reconnect storm (issue 25, item 9). A thousand change-stream clients with
 * a password (not a token: each admission is a password check) are on replica A when it is killed
 * (SIGKILL); a change is made through replica B meanwhile; A comes back on its address and all of
 * them reconnect at once with Last-Event-ID. Every client is admitted again and receives that
 * change exactly once; nothing is answered 500; neither replica dies. bench:faults times it.
 */
import { createApiClient } from "@tradai/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization, TEST_ADMIN_PASSWORD } from "../../../../test-support/auth.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../../test-support/postgres-server.js";
import { type ServerProcess, startServerProcess } from "../../../../test-support/server-process.js";
import { startStorm } from "../../../../test-support/sse-storm.js";

const CLIENTS = 1000;
const STRATEGY = "Storm";

let postgres: PostgresServer;
let databaseUrl: string;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  postgres = await startPostgresServer();
  databaseUrl = await createDatabase(postgres.url, "tradai_storm");
  a = await startServerProcess({ TRADAI_DATABASE_URL: databaseUrl, TRADAI_LAUNCHER: "none" });
  b = await startServerProcess({ TRADAI_DATABASE_URL: databaseUrl, TRADAI_LAUNCHER: "none" });
});
afterAll(async () => {
  await a?.kill();
  await b?.stop();
  await postgres?.stop();
});

/** Every change event's seq, in order. */
async function eventSeqs(): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ seq: number }>("SELECT seq::int AS seq FROM config_events ORDER BY seq")).rows.map(
      (r) => r.seq,
    );
  } finally {
    await client.end();
  }
}
const headSeq = async () => (await eventSeqs()).at(-1) ?? 0;

describe("a 1,000-client reconnect storm", () => {
  it("readmits every client after a kill -9, each receiving the change it missed exactly once", async () => {
    const admin = createApiClient({
      baseUrl: b.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    await admin.createUser("storm-reader", "viewer", "storm-reader-password-1");
    const first = (await admin.createConfig({ strategy_name: STRATEGY, config_data: { n: 1 } })).config_id;
    await admin.activate(STRATEGY, first);

    const storm = startStorm(a.url, basicAuthorization("storm-reader", "storm-reader-password-1"), CLIENTS);
    try {
      await storm.admittedAll(1);
      await a.kill();
      const second = (await admin.createConfig({ strategy_name: STRATEGY, config_data: { n: 2 } })).config_id;
      await admin.activate(STRATEGY, second);
      const missed = await headSeq();
      a = await startServerProcess({
        TRADAI_DATABASE_URL: databaseUrl,
        TRADAI_LAUNCHER: "none",
        TRADAI_PORT: new URL(a.url).port,
      });
      const back = performance.now();
      await storm.receivedAll(missed);
      await storm.admittedAll(2);
      const readmitted = Math.max(...storm.clients.map((c) => c.admitted[1] as number)) - back;
      console.log(`${CLIENTS} clients readmitted within ${Math.round(readmitted)} ms of the replica's return`);

      for (const c of storm.clients) {
        expect(c.changes.filter((s) => s === missed)).toHaveLength(1);
        expect(c.changes).toEqual([...c.changes].sort((x, y) => x - y));
        // Refused only while it was down (no connection) or by the restarting server (503), never 500.
        for (const r of c.refusals) expect(["ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET", "503"]).toContain(r);
      }
      expect(a.process.exitCode, a.output()).toBeNull();
      expect(b.process.exitCode, b.output()).toBeNull();
      // Both versions acknowledged are there, the events have no gap, the audit chain holds.
      expect((await admin.listConfigs(STRATEGY)).items.map((v) => v.config_id).sort()).toEqual([first, second].sort());
      const seqs = await eventSeqs();
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 1) + i));
      expect((await admin.verifyAudit()).ok).toBe(true);
    } finally {
      storm.stop();
    }
  });
});
