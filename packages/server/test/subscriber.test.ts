/** The worker library against a real server: snapshot, changes held until boundary(), hot vs restart, heartbeats, resume. */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigSubscriber, createConfigSubscriber, type SubscriberOptions } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { eventually, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`worker subscriber (${backend})`, () => {
  let p: TestPlatform;
  const subscribers: ConfigSubscriber[] = [];
  const streamSockets = new Set<Socket>();
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: "Sub", config_data: data })).config_id;

  beforeAll(async () => {
    p = await startTestPlatform();
    // Remember the server side of each stream connection, to cut exactly those (not the tests'
    // own API connections, which closeAllConnections would also break).
    p.app.server.on("request", (request: IncomingMessage) => {
      if (request.url?.startsWith("/api/v1/stream")) streamSockets.add(request.socket);
    });
    await p.api.createParameter({ name: "risk.stoploss", type: "number", description: "Stop", reload: "hot" });
    await p.api.createParameter({ name: "exchange", type: "string", description: "Venue", reload: "restart" });
    await p.api.activate("Sub", await version({ risk: { stoploss: -0.05 }, exchange: "binance" }));
  });
  afterAll(async () => {
    for (const s of subscribers) await s.stop();
    await p?.close();
  });

  const subscribe = async (workerId: string, options: Partial<SubscriberOptions> = {}) => {
    const name = `${workerId}-${subscribers.length}`;
    const { token } = await p.api.createToken({ name, roles: ["worker"], environments: ["dev"] });
    const s = createConfigSubscriber({
      url: p.url,
      credentials: { token },
      environment: "dev",
      strategies: ["Sub"],
      workerId,
      heartbeatMs: 200,
      backoffMs: { initial: 50, max: 200 },
      lastKnownGood: null,
      warn: () => {},
      ...options,
    });
    subscribers.push(s);
    await s.start();
    return s;
  };

  it("signs in with a password that is not ASCII (HTTP Basic in UTF-8)", async () => {
    const password = "pässwörd-€-0001";
    await p.api.createUser("umlaut", "viewer", password);
    const worker = await subscribe("paper-umlaut", { credentials: { username: "umlaut", password } });
    expect(worker.current("Sub").values).toMatchObject({ exchange: "binance" });
  });

  it("starts from the snapshot, holds changes until boundary(), applies hot keys and reports restart keys", async () => {
    // Health figures of the worker's choosing go with each heartbeat (a figure that is not finite is left out).
    // A name the server would refuse is left out too, so the report still goes through.
    const figures = { errors: 0, rejected_orders: 1, broken: Number.NaN, "Not A Name": 3 };
    const worker = await subscribe("paper-sub-1", { labels: { canary: "true" }, health: () => ({ ...figures }) });
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
    expect(worker.sessionId("Sub")).toMatch(/^[0-9a-f-]{36}$/);
    expect(worker.tag({ pnl: 12.5 })).toEqual({
      pnl: 12.5,
      config_version_id: v2,
      resolved_hash: changed?.resolved_hash,
      session_id: worker.sessionId("Sub"),
    });

    // The heartbeat tells the server what runs, including what waits for a restart.
    const view = await eventually(async () => {
      const w = (await p.api.listWorkers()).items.find((x) => x.worker_id === "paper-sub-1");
      return w?.strategies[0]?.applied_config_id === v2 ? w : undefined;
    }, "the heartbeat");
    expect(view).toMatchObject({ status: "ok", pending_restart: ["Sub:exchange"], labels: { canary: "true" } });
    expect(view.health).toEqual({ errors: 0, rejected_orders: 1 });
    figures.errors = 4;
    await eventually(async () => {
      const w = (await p.api.listWorkers()).items.find((x) => x.worker_id === "paper-sub-1");
      return w?.health.errors === 4 ? w : undefined;
    }, "the next heartbeat's figures");
    expect(view.last_seq).toBe(worker.seq);
    // That heartbeat measured the change's propagation (the start-up snapshot did not count).
    const metrics = (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
    expect(metrics).toMatch(/^tradai_config_propagation_seconds_count\{environment="dev"\} 1$/m);
    // The server's own share: the change handed to the live streams, and written by the last of them.
    const fanouts = Number(/^tradai_stream_fanout_seconds_count (\d+)$/m.exec(metrics)?.[1]);
    expect(fanouts).toBeGreaterThanOrEqual(1);
    expect(Number(/^tradai_stream_fanout_seconds_sum (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  it("resumes after the server drops the stream, missing nothing", async () => {
    const worker = await subscribe("paper-sub-2");
    const { db } = p;
    const seqBefore = worker.seq;
    expect(streamSockets.size).toBeGreaterThan(0);
    for (const socket of streamSockets) socket.destroy(); // the stream drops; it resumes with Last-Event-ID
    const v3 = await version({ risk: { stoploss: -0.02 }, exchange: "binance" });
    await p.api.activate("Sub", v3);
    await eventually(async () => (worker.hasPending ? true : undefined), "the change after reconnecting", 15_000);
    worker.boundary();
    expect(worker.current("Sub")).toMatchObject({ config_version_id: v3, values: { risk: { stoploss: -0.02 } } });
    expect(worker.seq).toBeGreaterThan(seqBefore);
    const { rows } = await db.query<{ seq: string }>("SELECT max(seq) AS seq FROM config_events");
    expect(worker.seq).toBe(Number(rows[0]?.seq));
  });

  it("polls resolve while the stream is down, applying hot changes at the boundary as the stream would", async () => {
    let streamDown = false;
    // The stream is refused (as by a proxy that drops it); the rest of the API still answers.
    const fetchUnlessStream: typeof fetch = (input, init) =>
      streamDown && String(input).includes("/api/v1/stream")
        ? Promise.reject(new Error("stream unavailable (test)"))
        : fetch(input, init);
    const worker = await subscribe("paper-sub-poll", { fetch: fetchUnlessStream, pollMs: 100 });
    const received: string[] = [];
    worker.onReceive((m) => received.push(m.kind));
    streamDown = true;
    for (const socket of streamSockets) socket.destroy();
    await eventually(async () => (worker.streaming ? undefined : true), "the stream to be down");
    const before = worker.current("Sub");
    const v4 = await version({ risk: { stoploss: -0.04 }, exchange: "okx" });
    await p.api.activate("Sub", v4);
    await eventually(async () => (worker.hasPending ? true : undefined), "the change, by polling", 15_000);
    expect(received).toContain("poll");
    expect(worker.current("Sub")).toBe(before);
    worker.boundary();
    // Reload classes came from the catalog: the hot key changed, the restart key waits.
    expect(worker.current("Sub")).toMatchObject({
      config_version_id: v4,
      values: { risk: { stoploss: -0.04 }, exchange: before.values.exchange },
      pending_restart: ["exchange"],
    });
    streamDown = false;
    await eventually(async () => (worker.streaming ? true : undefined), "the stream back", 15_000);
  });

  it("keeps the last verified config on disk: a paper worker starts from it (stale) without the server, a live one refuses", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradai-lkg-"));
    const file = join(dir, "paper-lkg.json");
    const online = await subscribe("paper-lkg", { lastKnownGood: file });
    const served = online.current("Sub");
    await eventually(async () => (existsSync(file) ? true : undefined), "the copy on disk");
    await online.stop();
    const offline = { url: "http://127.0.0.1:9", startTimeoutMs: 1500, lastKnownGood: file };
    const warnings: string[] = [];

    const paper = await subscribe("paper-lkg", { ...offline, mode: "paper", warn: (m) => warnings.push(m) });
    expect(paper.stale).toBe(true);
    expect(paper.current("Sub")).toMatchObject({
      config_version_id: served.config_version_id,
      resolved_hash: served.resolved_hash,
      values: served.values,
    });
    expect(warnings.join("\n")).toMatch(/last-known-good copy .* STALE until the server answers/);

    await expect(subscribe("live-lkg", { ...offline, mode: "live" })).rejects.toThrow(
      /no configuration from the server within 1.5 s .*a live worker starts only from a config the server verified/,
    );

    // A copy that does not match its hash is never used, not even by a paper worker.
    const copy = JSON.parse(readFileSync(file, "utf8"));
    copy.configs[0].values.risk.stoploss = -0.5;
    writeFileSync(file, JSON.stringify(copy));
    await expect(subscribe("paper-lkg-2", { ...offline, mode: "paper" })).rejects.toThrow(/no configuration/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("a paper worker started from disk is no longer stale once the server answers, and takes what changed meanwhile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradai-lkg-"));
    const file = join(dir, "paper-lkg-3.json");
    await (await subscribe("paper-lkg-3", { lastKnownGood: file })).stop();
    let serverReachable = false;
    const flaky: typeof fetch = (input, init) =>
      serverReachable ? fetch(input, init) : Promise.reject(new Error("connection refused (test)"));
    // No poll before the stream comes back: the snapshot is what brings the change.
    const worker = await subscribe("paper-lkg-3", {
      lastKnownGood: file,
      mode: "paper",
      fetch: flaky,
      pollMs: 600_000,
    });
    expect(worker.stale).toBe(true);
    // The server moves on while the worker runs on its copy: its first snapshot is a change, and a
    // hot key in it applies at the boundary (the catalog's classes are read for it).
    const onDisk = worker.current("Sub").values as { risk: { stoploss: number }; exchange: string };
    const moved = await version({ ...onDisk, risk: { stoploss: onDisk.risk.stoploss - 0.01 } });
    await p.api.activate("Sub", moved);
    serverReachable = true;
    await eventually(async () => (worker.stale ? undefined : true), "the server's answer", 15_000);
    await eventually(async () => {
      worker.boundary();
      return worker.current("Sub").config_version_id === moved ? true : undefined;
    }, "the version made meanwhile");
    expect(worker.current("Sub")).toMatchObject({
      values: { risk: { stoploss: onDisk.risk.stoploss - 0.01 } },
      pending_restart: [],
    });
    rmSync(dir, { recursive: true, force: true });
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
