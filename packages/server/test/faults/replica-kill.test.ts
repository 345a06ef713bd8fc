/**
 * Fault: kill -9 of one of two replicas with subscribers attached (issue 25, item 9). Workers (the
 * TypeScript library) follow the change stream of replica A while activations go on through
 * replica B; A is killed (SIGKILL: nothing flushed) three times and comes back on its address (a
 * pod restarted behind its Service). The other replica never stops; every worker ends on the last
 * activation, having received every change event of its strategy, in order, none twice; nothing
 * acknowledged is lost and the event feed has no gap.
 */
import { type ConfigSubscriber, createApiClient, createConfigSubscriber } from "@tradai/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../../test-support/auth.js";
import { eventually } from "../../../../test-support/platform.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../../test-support/postgres-server.js";
import { type ServerProcess, startServerProcess } from "../../../../test-support/server-process.js";

const WORKERS = 40;
const KILLS = 3;
const STRATEGY = "KillNine";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let postgres: PostgresServer;
let databaseUrl: string;
let a: ServerProcess;
let b: ServerProcess;
const workers: ConfigSubscriber[] = [];

beforeAll(async () => {
  postgres = await startPostgresServer();
  databaseUrl = await createDatabase(postgres.url, "tradai_kill");
  a = await startServerProcess({ TRADAI_DATABASE_URL: databaseUrl, TRADAI_LAUNCHER: "none" });
  b = await startServerProcess({ TRADAI_DATABASE_URL: databaseUrl, TRADAI_LAUNCHER: "none" });
});
afterAll(async () => {
  for (const w of workers) await w.stop().catch(() => {});
  await a?.kill();
  await b?.stop();
  await postgres?.stop();
});

describe("kill -9 of one of two replicas with subscribers attached", () => {
  it("loses no change: every worker catches up on the last activation, each event once and in order", async () => {
    const admin = createApiClient({
      baseUrl: b.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    const version = async (i: number) =>
      (await admin.createConfig({ strategy_name: STRATEGY, config_data: { i } })).config_id;
    await admin.activate(STRATEGY, await version(0));
    const { token } = await admin.createToken({ name: "kill-workers", roles: ["worker"] });

    const t0 = Date.now();
    const received = new Map<string, number[]>();
    /** Per worker, what it heard and said (snapshots, polls, warnings): told when it misses an event. */
    const story = new Map<string, [number, string][]>();
    for (let i = 0; i < WORKERS; i++) {
      const workerId = `kill-${i}`;
      const seqs: number[] = [];
      const heard: [number, string][] = [];
      received.set(workerId, seqs);
      story.set(workerId, heard);
      const worker = createConfigSubscriber({
        url: a.url,
        credentials: { token },
        environment: "dev",
        strategies: [STRATEGY],
        workerId,
        heartbeatMs: 60_000,
        backoffMs: { initial: 100, max: 500 },
        lastKnownGood: null,
        warn: (message) => heard.push([Date.now() - t0, `warn: ${message}`]),
      });
      worker.onReceive((m) => {
        heard.push([Date.now() - t0, `${m.kind} ${m.seq}`]);
        if (m.kind === "change") seqs.push(m.seq);
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((w) => w.start()));

    const aPort = new URL(a.url).port;
    const timeline: [number, string][] = [];
    const mark = (what: string) => timeline.push([Date.now() - t0, what]);
    let last = "";
    for (let kill = 0; kill < KILLS; kill++) {
      last = await version(kill + 1);
      await admin.activate(STRATEGY, last);
      mark(`activated ${last}`);
      await a.kill();
      mark("A killed");
      // Changes while A is down reach its workers when they are back (resumed from their last event).
      last = await version(100 + kill);
      await admin.activate(STRATEGY, last);
      mark(`activated ${last}`);
      await sleep(300);
      a = await startServerProcess({ TRADAI_DATABASE_URL: databaseUrl, TRADAI_LAUNCHER: "none", TRADAI_PORT: aPort });
      mark("A back");
      expect(b.process.exitCode, b.output()).toBeNull();
    }

    // Every worker applies the last activation at its next boundary.
    await eventually(async () => {
      for (const w of workers) w.boundary();
      return workers.every((w) => w.current(STRATEGY).config_version_id === last) ? true : undefined;
    }, "every worker on the last activation");

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ seq: number }>(
        "SELECT seq::int AS seq FROM config_events WHERE strategy = $1 AND environment = 'dev' ORDER BY seq",
        [STRATEGY],
      );
      const all = (await client.query<{ seq: number }>("SELECT seq::int AS seq FROM config_events ORDER BY seq")).rows;
      expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => (all[0]?.seq ?? 1) + i));
      const expected = rows.map((r) => r.seq);
      // A worker may reach the last version by a poll while its stream is still down (the library
      // polls resolve every 5 s meanwhile): its stream's replay of the events it missed comes after.
      const lastSeq = expected.at(-1) ?? 0;
      await eventually(
        async () => ([...received.values()].every((seqs) => (seqs.at(-1) ?? 0) >= lastSeq) ? true : undefined),
        "every worker's stream has resumed to the last event",
      );
      const versions = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM config_versions WHERE strategy_name = $1",
        [STRATEGY],
      );
      expect(versions.rows[0]?.n).toBe(1 + 2 * KILLS);
      for (const [workerId, seqs] of received) {
        // After the first snapshot, each later event of the strategy, once, in order (none lost on a kill).
        const told = [...timeline, ...(story.get(workerId) ?? [])].sort(([x], [y]) => x - y);
        expect(seqs, `${workerId}:\n${told.map(([at, what]) => `${at} ms ${what}`).join("\n")}`).toEqual(
          expected.slice(1),
        );
      }
    } finally {
      await client.end();
    }
    expect((await admin.verifyAudit()).ok).toBe(true);
  });
});
