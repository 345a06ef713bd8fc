/** The worker library against a real server: snapshot, changes held until boundary(), hot vs restart, heartbeats, resume. */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { eventually, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`worker subscriber (${backend})`, () => {
  let p: TestPlatform;
  const subscribers: ConfigSubscriber[] = [];
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: "Sub", config_data: data })).config_id;

  beforeAll(async () => {
    p = await startTestPlatform();
    await p.api.createParameter({ name: "risk.stoploss", type: "number", description: "Stop", reload: "hot" });
    await p.api.createParameter({ name: "exchange", type: "string", description: "Venue", reload: "restart" });
    await p.api.activate("Sub", await version({ risk: { stoploss: -0.05 }, exchange: "binance" }));
  });
  afterAll(async () => {
    for (const s of subscribers) await s.stop();
    await p?.close();
  });

  const subscribe = async (workerId: string) => {
    const { token } = await p.api.createToken({ name: workerId, roles: ["viewer"], environments: ["dev"] });
    const s = createConfigSubscriber({
      url: p.url,
      credentials: { token },
      environment: "dev",
      strategies: ["Sub"],
      workerId,
      heartbeatMs: 200,
      backoffMs: { initial: 50, max: 200 },
      warn: () => {},
    });
    subscribers.push(s);
    await s.start();
    return s;
  };

  it("starts from the snapshot, holds changes until boundary(), applies hot keys and reports restart keys", async () => {
    const worker = await subscribe("paper-sub-1");
    const first = worker.current("Sub");
    expect(first.values).toEqual({ risk: { stoploss: -0.05 }, exchange: "binance" });
    const applied: string[] = [];
    worker.onApplied((a) => applied.push(a.config_version_id ?? ""));

    const v2 = await version({ risk: { stoploss: -0.03 }, exchange: "kraken" });
    await p.api.activate("Sub", v2);
    await eventually(async () => (worker.hasPending ? true : undefined), "the change to arrive");
    // Not applied mid-cycle.
    expect(worker.current("Sub")).toBe(first);
    const [changed] = worker.boundary();
    expect(changed).toMatchObject({
      config_version_id: v2,
      values: { risk: { stoploss: -0.03 }, exchange: "binance" },
      pending_restart: ["exchange"],
    });
    expect(worker.restartRequired).toBe(true);
    expect(applied).toEqual([v2]);
    expect(worker.tag({ pnl: 12.5 })).toEqual({
      pnl: 12.5,
      config_version_id: v2,
      resolved_hash: changed?.resolved_hash,
    });

    // The heartbeat tells the server what runs, including what waits for a restart.
    const view = await eventually(async () => {
      const w = (await p.api.listWorkers()).items.find((x) => x.worker_id === "paper-sub-1");
      return w?.strategies[0]?.applied_config_id === v2 ? w : undefined;
    }, "the heartbeat");
    expect(view).toMatchObject({ status: "ok", pending_restart: ["Sub:exchange"] });
    expect(view.last_seq).toBe(worker.seq);
  });

  it("resumes after the server drops the stream, missing nothing", async () => {
    // Remember the server side of each stream connection, to cut exactly those (not this test's
    // own API connections, which closeAllConnections would also break).
    const streamSockets = new Set<Socket>();
    const track = (request: IncomingMessage) => {
      if (request.url?.startsWith("/api/v1/stream")) streamSockets.add(request.socket);
    };
    p.app.server.on("request", track);
    const worker = await subscribe("paper-sub-2");
    const { db } = p;
    const seqBefore = worker.seq;
    expect(streamSockets.size).toBeGreaterThan(0);
    for (const socket of streamSockets) socket.destroy(); // the stream drops; it resumes with Last-Event-ID
    p.app.server.off("request", track);
    const v3 = await version({ risk: { stoploss: -0.02 }, exchange: "binance" });
    await p.api.activate("Sub", v3);
    await eventually(async () => (worker.hasPending ? true : undefined), "the change after reconnecting", 15_000);
    worker.boundary();
    expect(worker.current("Sub")).toMatchObject({ config_version_id: v3, values: { risk: { stoploss: -0.02 } } });
    expect(worker.seq).toBeGreaterThan(seqBefore);
    const { rows } = await db.query<{ seq: string }>("SELECT max(seq) AS seq FROM config_events");
    expect(worker.seq).toBe(Number(rows[0]?.seq));
  });

  it("fails to start with credentials the server refuses", async () => {
    const s = createConfigSubscriber({
      url: p.url,
      credentials: { username: "admin", password: `${TEST_ADMIN_PASSWORD}-wrong` },
      environment: "dev",
      strategies: ["Sub"],
      workerId: "nobody",
      warn: () => {},
    });
    await expect(s.start()).rejects.toThrow(/HTTP 401/);
    await s.stop();
  });
});
