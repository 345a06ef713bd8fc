/**
 * Workers (the client library) converge on the latest version after what goes wrong in
 * production: a change made on another replica, a server restart, a dropped stream, a lost
 * database connection. Each ends with every worker on the latest version and every seq since its
 * snapshot seen (no event skipped).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { type ConfigSubscriber, createApiClient, createConfigSubscriber } from "@tradai/client";
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import { eventually, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { removeDataDir, startServerProcess } from "../../../test-support/server-process.js";

const admin = { username: "admin", password: TEST_ADMIN_PASSWORD };

interface FleetWorker {
  subscriber: ConfigSubscriber;
  /** Every seq the server sent it (snapshots and changes). */
  seen: Set<number>;
}

/** `count` workers of strategy `strategy` in dev, on `url`, recording every seq they receive. */
async function fleet(url: string, strategy: string, count: number, prefix: string): Promise<FleetWorker[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const seen = new Set<number>();
      const subscriber = createConfigSubscriber({
        url,
        credentials: admin,
        environment: "dev",
        strategies: [strategy],
        workerId: `${prefix}-${i}`,
        heartbeatMs: 60_000,
        pollMs: 200,
        backoffMs: { initial: 50, max: 300 },
        lastKnownGood: null,
        warn: (m) => process.env.DEBUG_FLEET && console.error(`${prefix}-${i}: ${m}`),
      });
      subscriber.onReceive((m) => {
        if (process.env.DEBUG_FLEET) console.error(`${prefix}-${i}: received ${m.kind} ${m.seq} ${m.strategies}`);
        if (m.kind !== "poll") seen.add(m.seq);
      });
      await subscriber.start();
      return { subscriber, seen };
    }),
  );
}

/** Every worker applies what is pending (its boundary) until all run `configId`; then checks seq continuity. */
async function expectConverged(workers: FleetWorker[], strategy: string, configId: string, head: number) {
  await eventually(
    async () => {
      for (const w of workers) w.subscriber.boundary();
      return workers.every((w) => w.subscriber.current(strategy).config_version_id === configId) ? true : undefined;
    },
    `every worker on ${configId}`,
    20_000,
  );
  await eventually(
    async () => (workers.every((w) => w.seen.has(head)) ? true : undefined),
    `every worker at seq ${head}`,
  );
  for (const w of workers) {
    const from = Math.min(...w.seen);
    const missing = Array.from({ length: head - from + 1 }, (_, k) => from + k).filter((seq) => !w.seen.has(seq));
    expect(missing, "seqs a worker never received").toEqual([]);
  }
}

const stopAll = (workers: FleetWorker[]) => Promise.all(workers.map((w) => w.subscriber.stop()));

describe(`workers converge after failures (${backend})`, () => {
  let p: TestPlatform;
  let replicaB: Platform;
  const streamSockets = new Set<Socket>();
  const version = async (strategy: string, level: number) =>
    (await p.api.createConfig({ strategy_name: strategy, config_data: { r: { level } } })).config_id;
  const headSeq = async () =>
    Number((await p.db.query<{ seq: string }>("SELECT seq FROM config_event_head")).rows[0]?.seq);

  beforeAll(async () => {
    p = await startTestPlatform();
    replicaB = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none" }),
      p.db,
    );
    p.app.server.on("request", (request: IncomingMessage) => {
      if (request.url?.startsWith("/api/v1/stream")) streamSockets.add(request.socket);
    });
    await p.api.createParameter({ name: "r.level", type: "int", description: "Level", reload: "hot" });
  });
  afterAll(async () => {
    await replicaB?.close();
    await p?.close();
  });

  it("workers on replica B apply a change made through replica A", async () => {
    await p.api.activate("Rb", await version("Rb", 1));
    const workers = await fleet(replicaB.url, "Rb", 5, "rb");
    const v2 = await version("Rb", 2);
    await p.api.activate("Rb", v2);
    await expectConverged(workers, "Rb", v2, await headSeq());
    expect(workers[0]?.subscriber.current("Rb").values).toEqual({ r: { level: 2 } });
    await stopAll(workers);
  });

  it("after the stream drops, workers resume and miss no event", async () => {
    await p.api.activate("Rd", await version("Rd", 1));
    const workers = await fleet(p.url, "Rd", 5, "rd");
    for (const socket of streamSockets) socket.destroy();
    let last = "";
    for (let level = 2; level <= 4; level++) {
      last = await version("Rd", level);
      await p.api.activate("Rd", last);
    }
    await expectConverged(workers, "Rd", last, await headSeq());
    await stopAll(workers);
  });

  // Only a server connection can be lost (PGlite runs in process).
  if (backend === "postgres")
    it("after the database connections are lost, workers on both replicas miss no event", async () => {
      await p.api.activate("Rl", await version("Rl", 1));
      const workers = [...(await fleet(p.url, "Rl", 3, "rl-a")), ...(await fleet(replicaB.url, "Rl", 3, "rl-b"))];
      // Every connection of the platform to its database: the pool's and both replicas' LISTEN.
      await p.db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      let last = "";
      for (let level = 2; level <= 4; level++) {
        last = await version("Rl", level);
        await p.api.activate("Rl", last);
      }
      await expectConverged(workers, "Rl", last, await headSeq());
      await stopAll(workers);
    });
});

describe(`workers converge across a server restart (${backend})`, () => {
  it("workers reconnect to the restarted server, polling meanwhile, and miss no event", async () => {
    const env = { ...(await freshDatabaseEnv()), TRADAI_PORT: String(await freePort()) };
    let server = await startServerProcess(env);
    const workers: FleetWorker[] = [];
    try {
      const api = createApiClient({ baseUrl: server.url, credentials: admin });
      await api.createParameter({ name: "r.level", type: "int", description: "Level", reload: "hot" });
      const configId = async (level: number) =>
        (await api.createConfig({ strategy_name: "Rr", config_data: { r: { level } } })).config_id;
      await api.activate("Rr", await configId(1));
      workers.push(...(await fleet(server.url, "Rr", 5, "rr")));

      expect((await server.stop()).code).toBe(0); // graceful: it ends the streams, it does not hang on them
      server = await startServerProcess(env);
      let last = "";
      for (let level = 2; level <= 3; level++) {
        last = await configId(level);
        await api.activate("Rr", last);
      }
      const { items } = await api.listWorkers();
      expect(items.length).toBeGreaterThan(0);
      // The server's feed position, from its metrics (the activations above answered after handing their events out).
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const head = Number(/^tradai_config_feed_seq (\d+)$/m.exec(metrics)?.[1]);
      expect(head).toBeGreaterThan(0);
      await expectConverged(workers, "Rr", last, head);
    } finally {
      await stopAll(workers);
      await server.stop();
      removeDataDir(env);
    }
  }, 120_000); // two server start-ups (migrations on a fresh database) on a busy machine
});

/** A loopback port free now (for a server that must come back on the same one). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const address = probe.address();
  await new Promise((done) => probe.close(done));
  return typeof address === "object" && address ? address.port : 0;
}
