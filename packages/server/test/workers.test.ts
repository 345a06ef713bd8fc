/** Workers report what they applied; the view says who is up to date, lagging or stale. */
import { contentHash } from "@tradai/core";
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { eventually, postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { startWebhookSink, type WebhookSink } from "../../../test-support/webhook-sink.js";
import { heartbeatWriter } from "../src/features/workers/heartbeat-writer.js";

describe(`workers view (${backend})`, () => {
  let p: TestPlatform;
  let replicaB: Platform;
  let sink: WebhookSink;
  // Lagging after 1 s or more than 1 version behind; stale after 2 s without a heartbeat. The
  // monitors' timers are slow: the alert test calls check() itself.
  const settings = (url: string) => ({
    TRADAI_WORKER_LAG_SECONDS: "1",
    TRADAI_WORKER_STALE_SECONDS: "2",
    TRADAI_WORKER_CHECK_SECONDS: "3600",
    TRADAI_ALERT_WEBHOOK_URL: url,
  });
  beforeAll(async () => {
    sink = await startWebhookSink();
    p = await startTestPlatform(settings(sink.url));
    replicaB = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none", ...settings(sink.url) }),
      p.db,
    );
  });
  afterAll(async () => {
    await replicaB?.close();
    await p?.close();
    await sink?.close();
  });

  const heartbeat = (worker: string, applied: { strategy: string; config_version_id: string | null }[], extra = {}) =>
    p.http(
      `/api/v1/workers/${worker}/heartbeat`,
      postJson(
        JSON.stringify({
          environment: "dev",
          applied: applied.map((a) => ({ ...a, resolved_hash: null, applied_at: new Date().toISOString() })),
          ...extra,
        }),
      ),
    );
  const view = async (worker: string) =>
    (await p.api.listWorkers()).items.find((w: { worker_id: string }) => w.worker_id === worker);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("compares what each worker applied with what is active, in versions and seconds", async () => {
    const [v1, v2, v3] = [
      (await p.api.createConfig({ strategy_name: "Wk", config_data: { w: 1 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Wk", config_data: { w: 2 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Wk", config_data: { w: 3 } })).config_id,
    ];
    await p.api.activate("Wk", v1);
    const first = await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v1 }], {
      last_seq: 1,
      pending_restart: ["exchange"],
      pending_between_trades: ["Wk:stake_amount"],
      process: { pid: 4242, host: "box", mode: "paper" },
    });
    expect(first.status).toBe(204);
    expect(await view("paper-1")).toMatchObject({
      environment: "dev",
      status: "ok",
      last_seq: 1,
      pending_restart: ["exchange"],
      pending_between_trades: ["Wk:stake_amount"],
      process: { pid: 4242, mode: "paper" },
      strategies: [
        {
          strategy: "Wk",
          applied_config_id: v1,
          active_config_id: v1,
          up_to_date: true,
          lag_versions: 0,
          lag_seconds: 0,
        },
      ],
    });
    await p.api.activate("Wk", v2);
    await p.api.activate("Wk", v3);
    await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v1 }]);
    const behind = await view("paper-1");
    expect(behind?.strategies[0]).toMatchObject({ active_config_id: v3, up_to_date: false, lag_versions: 2 });
    // Each report replaces the last: nothing waits any more (a report without the lists sends none).
    expect(behind).toMatchObject({ pending_restart: [], pending_between_trades: [] });
    await sleep(1200);
    await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v1 }]);
    const lagging = await view("paper-1");
    expect(lagging?.status).toBe("lagging");
    expect(lagging?.strategies[0]?.lag_seconds).toBeGreaterThan(1);
    await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v3 }]);
    expect(await view("paper-1")).toMatchObject({ status: "ok", strategies: [{ up_to_date: true, lag_versions: 0 }] });
    await sleep(2200);
    expect((await view("paper-1"))?.status).toBe("stale");
  });

  it("refuses malformed heartbeats naming the field, and keeps environment-scoped tokens to their environment", async () => {
    const bad = await p.http(
      "/api/v1/workers/w1/heartbeat",
      postJson('{"environment":"dev","applied":[{"strategy":"Wk"}]}'),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain("applied[0].config_version_id");
    const unknownEnvironment = await p.http(
      "/api/v1/workers/w1/heartbeat",
      postJson('{"environment":"qa","applied":[]}'),
    );
    expect(unknownEnvironment.status).toBe(422);
    expect(unknownEnvironment.body.errors).toEqual([
      expect.objectContaining({ field: "environment", location: "body" }),
    ]);
    // Refused after the schema too (applies without their process, values not matching their hash):
    // the new id is not claimed, the view does not list it, the sessions route leaves nothing either.
    const apply = {
      strategy: "Wk",
      seq: 1,
      config_version_id: null,
      resolved_hash: contentHash({ a: 1 }),
      values: { a: 2 },
      applied_at: new Date().toISOString(),
      boundary: "start",
      latency_ms: null,
    };
    const noProcess = await heartbeat("trace-1", [], { applies: [{ ...apply, values: { a: 1 } }] });
    expect(noProcess.status).toBe(422);
    expect(JSON.stringify(noProcess.body)).toContain("process.instance");
    const process = { instance: "trace-1a", mode: "paper" };
    const wrongHash = await heartbeat("trace-1", [], { process, applies: [apply] });
    expect(wrongHash.status).toBe(422);
    const sessionOpen = await p.http(
      "/api/v1/workers/trace-1/sessions",
      postJson(JSON.stringify({ environment: "dev", process, applies: [apply] })),
    );
    expect(sessionOpen.status).toBe(422);
    expect(await view("trace-1")).toBeUndefined();
    const { rows } = await p.db.query("SELECT 1 FROM workers WHERE worker_id = 'trace-1'");
    expect(rows).toEqual([]);
    const badId = await p.http("/api/v1/workers/bad id!/heartbeat", postJson('{"environment":"dev","applied":[]}'));
    expect(badId.status).toBe(422);
    const { token } = await p.api.createToken({ name: "prod-worker", roles: ["worker"], environments: ["prod"] });
    const outOfScope = await p.http("/api/v1/workers/w2/heartbeat", {
      ...postJson('{"environment":"dev","applied":[]}'),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(outOfScope.status).toBe(403);
    const inScope = await p.http("/api/v1/workers/w2/heartbeat", {
      ...postJson('{"environment":"prod","applied":[]}'),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(inScope.status).toBe(204);
    expect(
      (await p.api.listWorkers({ environment: "prod" })).items.map((w: { worker_id: string }) => w.worker_id),
    ).toEqual(["w2"]);
  });

  it("shows the labels and health figures each worker reported, and lists the workers a label selector names", async () => {
    const labelled = async (worker: string, labels: Record<string, string>) =>
      expect((await heartbeat(worker, [], { process: { instance: `${worker}-p`, labels } })).status).toBe(204);
    await labelled("lab-1", { canary: "true", exchange: "binance" });
    await labelled("lab-2", { canary: "false", exchange: "binance" });
    await labelled("lab-3", {});
    expect((await view("lab-1"))?.labels).toEqual({ canary: "true", exchange: "binance" });
    expect((await view("lab-3"))?.labels).toEqual({});
    const selected = async (selector: string) =>
      (await p.api.listWorkers({ selector })).items
        .map((w: { worker_id: string }) => w.worker_id)
        .filter((id: string) => id.startsWith("lab-"))
        .sort();
    expect(await selected("exchange=binance")).toEqual(["lab-1", "lab-2"]);
    expect(await selected("canary=true,exchange=binance")).toEqual(["lab-1"]);
    expect(await selected("canary=maybe")).toEqual([]);
    // A label is what the latest report says: a worker that drops one no longer matches.
    await labelled("lab-1", { exchange: "binance" });
    expect(await selected("canary=true")).toEqual([]);
    // A selector that is not name=value pairs, a label name that is not one: 422 naming the field.
    const badSelector = await p.http("/api/v1/workers?selector=Canary");
    expect(badSelector.status).toBe(422);
    expect(badSelector.body.errors).toEqual([expect.objectContaining({ field: "selector", location: "query" })]);
    // Health figures: the latest report's, shown as sent; a figure that is not a number is refused by name.
    expect((await heartbeat("lab-2", [], { health: { errors: 2, drawdown_pct: 1.5 } })).status).toBe(204);
    expect((await view("lab-2"))?.health).toEqual({ errors: 2, drawdown_pct: 1.5 });
    expect((await view("lab-3"))?.health).toEqual({});
    const badFigure = await heartbeat("lab-2", [], { health: { errors: "many" } });
    expect(badFigure.status).toBe(422);
    expect(badFigure.body.errors).toEqual([expect.objectContaining({ field: "health.errors" })]);
    expect((await view("lab-2"))?.health).toEqual({ errors: 2, drawdown_pct: 1.5 });
    const badLabel = await heartbeat("lab-4", [], { process: { instance: "lab-4-p", labels: { "Not A Name": "x" } } });
    expect(badLabel.status).toBe(422);
    expect(JSON.stringify(badLabel.body.errors)).toContain("process.labels");
    expect(await view("lab-4")).toBeUndefined();
  });

  it("only a worker's own credential reports: people's roles 403, a token outside its worker ids 403, a second credential 409 until an admin retires the worker", async () => {
    const beat = (workerId: string, authorization: string) =>
      p.http(`/api/v1/workers/${workerId}/heartbeat`, {
        ...postJson('{"environment":"dev","applied":[]}'),
        headers: { authorization, "content-type": "application/json" },
      });
    for (const role of ["viewer", "editor", "approver"] as const) {
      const person = await p.user(`reporter-${role}`, role);
      const refused = await beat("live-forged", basicAuthorization(person.username, person.password));
      expect(refused.status, role).toBe(403);
    }
    const live = await p.api.createToken({ name: "live-fleet", roles: ["worker"], worker_id: "live-*" });
    expect(live.worker_id).toBe("live-*");
    const outside = await beat("paper-1", `Bearer ${live.token}`);
    expect(outside.status).toBe(403);
    expect(outside.body.detail).toContain('may report only for workers matching "live-*", not for paper-1');
    expect((await beat("live-1", `Bearer ${live.token}`)).status).toBe(204);

    const other = await p.api.createToken({ name: "other-fleet", roles: ["worker"] });
    const taken = await beat("live-1", `Bearer ${other.token}`);
    expect(taken.status).toBe(409);
    // A goodbye takes the worker out of the view, but keeps its id its owner's.
    const goodbye = await p.http("/api/v1/workers/live-1/heartbeat", {
      ...postJson('{"environment":"dev","applied":[],"final":true}'),
      headers: { authorization: `Bearer ${live.token}`, "content-type": "application/json" },
    });
    expect(goodbye.status).toBe(204);
    expect((await beat("live-1", `Bearer ${other.token}`)).status).toBe(409);
    expect((await beat("live-1", `Bearer ${live.token}`)).status).toBe(204);
    expect(taken.body.detail).toContain("tradai workers retire live-1");
    // Nor may it open sessions for the id.
    const start = {
      strategy: "Wk",
      seq: 1,
      config_version_id: null,
      resolved_hash: contentHash({}),
      values: {},
      applied_at: new Date().toISOString(),
      boundary: "start",
      latency_ms: null,
    };
    const sessions = await p.http("/api/v1/workers/live-1/sessions", {
      ...postJson(JSON.stringify({ environment: "dev", process: { instance: "x1", mode: "live" }, applies: [start] })),
      headers: { authorization: `Bearer ${other.token}`, "content-type": "application/json" },
    });
    expect(sessions.status).toBe(409);

    const viewer = await p.user("retire-viewer", "viewer");
    const notAdmin = await p.http("/api/v1/workers/live-1/retire", {
      method: "POST",
      headers: { authorization: basicAuthorization(viewer.username, viewer.password) },
    });
    expect(notAdmin.status).toBe(403);
    // Replica B confirms the owner once, then takes its word for it: a report costs one write
    // (the heartbeat's batched upsert), no claim of the id (writes: the feed's 2 s poll only reads).
    const beatOnB = (authorization: string) =>
      fetch(`${replicaB.url}/api/v1/workers/live-1/heartbeat`, {
        method: "POST",
        body: '{"environment":"dev","applied":[]}',
        headers: { authorization, "content-type": "application/json" },
      }).then((r) => r.status);
    const writesOnB = async () =>
      (await replicaB.metrics.databaseStatements.get()).values.find((v) => v.labels.kind === "write")?.value ?? 0;
    expect(await beatOnB(`Bearer ${live.token}`)).toBe(204);
    const beforeBeat = await writesOnB();
    expect(await beatOnB(`Bearer ${live.token}`)).toBe(204);
    expect((await writesOnB()) - beforeBeat).toBe(1);
    const before = (await p.api.listAudit({ action: "worker.retire" })).total;
    const retired = await p.api.retireWorker("live-1");
    expect(retired).toMatchObject({ worker_id: "live-1", environment: "dev", reported_by: "token:live-fleet" });
    expect((await p.api.listAudit({ action: "worker.retire" })).total).toBe(before + 1);
    expect((await p.api.listWorkers()).items.map((w) => w.worker_id)).not.toContain("live-1");
    // Retired: another credential may take the id, and the worker is back in the view.
    expect((await beat("live-1", `Bearer ${other.token}`)).status).toBe(204);
    expect((await p.api.listWorkers()).items.map((w) => w.worker_id)).toContain("live-1");
    expect((await beat("live-1", `Bearer ${live.token}`)).status).toBe(409);
    // Replica B forgot the owner it knew when the retirement was announced.
    await eventually(
      async () => ((await beatOnB(`Bearer ${live.token}`)) === 409 ? true : undefined),
      "B refuses the old owner",
    );
    const missing = await p.http("/api/v1/workers/never-seen/retire", { method: "POST" });
    expect(missing.status).toBe(404);
  });

  it("alerts on-call once per episode when a worker lags or goes stale, and once when it recovers, however many replicas watch", async () => {
    const [v1, v2, v3] = [
      (await p.api.createConfig({ strategy_name: "Al", config_data: { a: 1 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Al", config_data: { a: 2 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Al", config_data: { a: 3 } })).config_id,
    ];
    await p.api.activate("Al", v1);
    await heartbeat("alert-1", [{ strategy: "Al", config_version_id: v1 }]);
    const alerts = () =>
      (sink.received as { kind: string; worker_id: string; text: string }[]).filter((a) => a.worker_id === "alert-1");
    const checkBoth = () => Promise.all([p.workerMonitor.check(), replicaB.workerMonitor.check()]);
    await checkBoth();
    expect(alerts()).toEqual([]);

    await p.api.activate("Al", v2);
    await p.api.activate("Al", v3);
    await heartbeat("alert-1", [{ strategy: "Al", config_version_id: v1 }]); // 2 versions behind
    await checkBoth();
    await checkBoth();
    expect(alerts()).toEqual([
      expect.objectContaining({
        kind: "worker_lagging",
        environment: "dev",
        text: expect.stringMatching(/^worker alert-1 \(dev\) is lagging: Al: 2 change\(s\) \/ \d+ s behind/),
      }),
    ]);

    await heartbeat("alert-1", [{ strategy: "Al", config_version_id: v3 }]);
    await checkBoth();
    expect(alerts().map((a) => a.kind)).toEqual(["worker_lagging", "worker_recovered"]);
    expect(alerts()[1]?.text).toMatch(/^RECOVERED: worker alert-1 \(dev\) is up to date/);

    await sleep(2200); // no heartbeat: stale
    await checkBoth();
    await checkBoth();
    expect(alerts().map((a) => a.kind)).toEqual(["worker_lagging", "worker_recovered", "worker_stale"]);
    expect(alerts()[2]?.text).toMatch(/has sent no heartbeat for \d+ s/);
  });

  it("exports propagation, workers by status, feed position, activations and request timing as Prometheus metrics", async () => {
    const seqOf = async (configId: string) =>
      Number(
        (
          await p.db.query<{ seq: string }>("SELECT max(seq) AS seq FROM config_events WHERE config_id = $1", [
            configId,
          ])
        ).rows[0]?.seq,
      );
    const [m1, m2] = [
      (await p.api.createConfig({ strategy_name: "Me", config_data: { m: 1 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Me", config_data: { m: 2 } })).config_id,
    ];
    await p.api.activate("Me", m1);
    const applied = (configId: string, seq: number) => [
      { strategy: "Me", config_version_id: configId, resolved_hash: null, applied_at: new Date().toISOString(), seq },
    ];
    const send = (body: unknown) => p.http("/api/v1/workers/metrics-1/heartbeat", postJson(JSON.stringify(body)));
    const scrape = async () => (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
    const value = (text: string, series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const count = (text: string) => value(text, 'tradai_config_propagation_seconds_count{environment="dev"}') ?? 0;
    const before = count(await scrape());
    expect((await send({ environment: "dev", applied: applied(m1, await seqOf(m1)) })).status).toBe(204);
    await p.api.activate("Me", m2);
    await sleep(50);
    expect((await send({ environment: "dev", applied: applied(m2, await seqOf(m2)) })).status).toBe(204);
    // The same report again is not a second propagation.
    expect((await send({ environment: "dev", applied: applied(m2, await seqOf(m2)) })).status).toBe(204);

    const text = await scrape();
    expect(count(text)).toBe(before + 1);
    expect(value(text, 'tradai_config_propagation_seconds_bucket{le="60",environment="dev"}')).toBeGreaterThan(0);
    expect(value(text, "tradai_config_feed_seq")).toBe(await seqOf(m2));
    expect(value(text, 'tradai_config_activations_total{environment="dev"}')).toBe(
      Number(
        (await p.db.query<{ n: string }>("SELECT count(*) AS n FROM activations WHERE environment = 'dev'")).rows[0]?.n,
      ),
    );
    const workers = (await p.api.listWorkers({ environment: "dev" })).items;
    for (const status of ["ok", "lagging", "stale"])
      expect(value(text, `tradai_workers{environment="dev",status="${status}"}`)).toBe(
        workers.filter((w: { status: string }) => w.status === status).length,
      );
    expect(
      value(
        text,
        'tradai_http_request_duration_seconds_count{method="POST",route="/api/v1/workers/:worker_id/heartbeat",status_code="204"}',
      ),
    ).toBeGreaterThanOrEqual(3);
    expect(value(text, "tradai_config_notify_lag_seconds_count")).toBeGreaterThan(0);
  });

  it("stores a burst of heartbeats in batches: every worker's report, and of two from one worker the later", async () => {
    const v = (await p.api.createConfig({ strategy_name: "Bu", config_data: { b: 1 } })).config_id;
    await p.api.activate("Bu", v);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => heartbeat(`burst-${i}`, [{ strategy: "Bu", config_version_id: v }])),
    );
    expect(answers.every((a) => a.status === 204)).toBe(true);
    const stored = (await p.api.listWorkers()).items.filter((w: { worker_id: string }) =>
      w.worker_id.startsWith("burst-"),
    );
    expect(stored).toHaveLength(200);

    // Two reports of one worker in the same batch: the later is stored, and only it is compared with the one before.
    const writer = heartbeatWriter(p.db);
    const row = (last_seq: number) => ({
      worker_id: "burst-twice",
      environment: "dev",
      applied: [],
      last_seq,
      pending_restart: [],
      pending_between_trades: [],
      process: null,
      reported_by: "test",
    });
    await writer.write(row(1));
    const [first, second] = await Promise.all([writer.write(row(2)), writer.write(row(3))]);
    expect([first, second]).toEqual([undefined, { applied: [], events: {} }]); // the first superseded in its batch
    const { rows } = await p.db.query<{ last_seq: string }>(
      "SELECT last_seq FROM workers WHERE worker_id = 'burst-twice'",
    );
    expect(Number(rows[0]?.last_seq)).toBe(3);
    await writer.stop();
  });

  it("measures lag on the resolved hash: a base-value change and a catalog-default change, with no new version, make a worker on the old hash lag", async () => {
    const v1 = (await p.api.createConfig({ strategy_name: "Lg", config_data: { lg: { mode: "a" } } })).config_id;
    await p.api.activate("Lg", v1);
    const report = async (hash: string) =>
      p.http(
        "/api/v1/workers/lag-1/heartbeat",
        postJson(
          JSON.stringify({
            environment: "dev",
            applied: [
              { strategy: "Lg", config_version_id: v1, resolved_hash: hash, applied_at: new Date().toISOString() },
            ],
          }),
        ),
      );
    const resolved = async () => (await p.api.resolve("Lg", { environment: "dev" })).resolved_hash;
    const first = await resolved();
    await report(first);
    expect((await view("lag-1"))?.strategies[0]).toMatchObject({
      expected_hash: first,
      up_to_date: true,
      lag_changes: 0,
    });

    // Base values: what dev resolves changes, no version does.
    const base = await p.api.getEnvironmentBase("dev");
    await p.api.putEnvironmentBase("dev", { ...base.values, lg_fee: 0.001 });
    const second = await resolved();
    expect(second).not.toBe(first);
    await report(first);
    const behind = await view("lag-1");
    expect(behind?.strategies[0]).toMatchObject({
      active_config_id: v1,
      expected_hash: second,
      up_to_date: false,
      lag_changes: 1,
      lag_versions: 0,
    });
    await sleep(1200);
    await report(first);
    expect((await view("lag-1"))?.status, "behind for longer than the threshold").toBe("lagging");
    await report(second);
    expect(await view("lag-1")).toMatchObject({ status: "ok", strategies: [{ up_to_date: true, lag_changes: 0 }] });

    // A catalog default: the same (Lg keeps keys the catalog does not describe).
    await p.api.setCatalogPolicy("Lg", "open");
    await p.api.createParameter({
      name: "lg.level",
      type: "int",
      description: "Level",
      default: 3,
      strategies: ["Lg"],
    });
    const third = await resolved();
    expect(third).not.toBe(second);
    await report(second);
    expect((await view("lag-1"))?.strategies[0]).toMatchObject({
      expected_hash: third,
      up_to_date: false,
      lag_changes: 1,
    });
    await sleep(1200);
    await report(second);
    expect((await view("lag-1"))?.status).toBe("lagging");
    await report(third);
    expect((await view("lag-1"))?.status).toBe("ok");
  });

  it("counts workers' own signals: each apply's commit-to-applied (KPI 3) and every violation reported (KPI 4)", async () => {
    const metric = async (pattern: RegExp) => {
      const text = (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
      return Number(pattern.exec(text)?.[1] ?? 0);
    };
    const violations = /^tradai_config_apply_violations_total\{environment="dev"\} (\d+)$/m;
    const appliedCount = /^tradai_config_version_applied_seconds_count\{environment="dev"\} (\d+)$/m;
    const [violationsBefore, appliedBefore] = [await metric(violations), await metric(appliedCount)];
    const apply = (seq: number, latency: number) => ({
      strategy: "Sig",
      seq,
      config_version_id: null,
      resolved_hash: contentHash({ a: seq }),
      values: { a: seq },
      applied_at: new Date().toISOString(),
      boundary: seq === 1 ? "start" : "cycle_end",
      latency_ms: seq === 1 ? null : latency,
    });
    const process = { instance: "sig-1", mode: "paper" };
    await heartbeat("sig-1", [], {
      process,
      applies: [apply(1, 0), apply(2, 120)],
      events: { config_version_applied: 1 },
    });
    expect(await metric(appliedCount)).toBe(appliedBefore + 1); // the start has no latency
    // The same report again (its answer was lost): its applies are in the history already, counted once.
    await heartbeat("sig-1", [], {
      process,
      applies: [apply(1, 0), apply(2, 120)],
      events: { config_version_applied: 1 },
    });
    expect(await metric(appliedCount), "a resent apply is not measured twice").toBe(appliedBefore + 1);
    expect(await metric(violations)).toBe(violationsBefore);
    await heartbeat("sig-1", [], { process, events: { config_version_applied: 1, config_apply_violation: 2 } });
    expect(await metric(violations)).toBe(violationsBefore + 2);
    await heartbeat("sig-1", [], { process, events: { config_version_applied: 1, config_apply_violation: 3 } });
    expect(await metric(violations), "counts are cumulative: only what a report adds").toBe(violationsBefore + 3);
    const refused = await heartbeat("sig-1", [], { events: { config_apply_violation: -1 } });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("events.config_apply_violation");
  });

  it("a clean stop says goodbye: the worker leaves the view at once; a worker silent longer than TRADAI_WORKER_RETIRE_AFTER is retired (a later clock)", async () => {
    expect((await heartbeat("bye-1", [])).status).toBe(204);
    expect(await view("bye-1")).toBeDefined();
    expect((await heartbeat("bye-1", [], { final: true })).status).toBe(204);
    expect(await view("bye-1")).toBeUndefined();
    // Back again (a restart): in the view again.
    expect((await heartbeat("bye-1", [])).status).toBe(204);
    expect(await view("bye-1")).toBeDefined();
    // A report of the same process still on its way after its goodbye does not bring it back; a new process does.
    const first = { process: { instance: "bye-2a", mode: "paper" } };
    expect((await heartbeat("bye-2", [], { ...first, final: true })).status).toBe(204);
    expect((await heartbeat("bye-2", [], first)).status).toBe(204);
    expect(await view("bye-2"), "the same process after its goodbye").toBeUndefined();
    expect((await heartbeat("bye-2", [], { process: { instance: "bye-2b", mode: "paper" } })).status).toBe(204);
    expect(await view("bye-2"), "a new process").toBeDefined();

    const before = (await p.api.listAudit({ action: "worker.retire" })).total;
    await p.workerMonitor.check(new Date(Date.now() + 23 * 3_600_000));
    expect(await view("bye-1"), "23 h of silence: not yet").toBeDefined();
    await p.workerMonitor.check(new Date(Date.now() + 25 * 3_600_000));
    expect(await view("bye-1"), "25 h: retired").toBeUndefined();
    const entries = (await p.api.listAudit({ action: "worker.retire", limit: 500 })).items;
    expect(entries.length).toBeGreaterThan(0);
    const entry = entries.find((e) => e.target_id === "bye-1");
    expect(entry).toMatchObject({
      actor: "worker retirement",
      details: { reason: expect.stringContaining("TRADAI_WORKER_RETIRE_AFTER") },
    });
    expect((await p.api.listAudit({ action: "worker.retire" })).total).toBeGreaterThan(before);
    // Retired workers leave the gauges too.
    const metrics = (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
    expect(metrics).toMatch(/^tradai_workers\{environment="dev",status="ok"\} 0$/m);
  });
});
