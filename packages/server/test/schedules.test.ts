/**
 * Scheduled changes (issue 19) on two replicas sharing one database: a scheduled activation runs
 * once however many replicas look, at its time in its time zone; it is judged again then: a freeze
 * or another version active by then refuses it, audited and alerted; a pending one can be
 * cancelled; a scheduled rollout starts its rollout. The driver's timer is slow: the tests tick.
 */
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { eventually, postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { startWebhookSink, type WebhookSink } from "../../../test-support/webhook-sink.js";

const STRATEGY = "Scheduled";
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe(`scheduled changes (${backend})`, () => {
  let p: TestPlatform;
  let b: Platform;
  let sink: WebhookSink;
  let worker: ConfigSubscriber;
  const settings = (url: string) => ({ TRADAI_ROLLOUT_TICK_SECONDS: "300", TRADAI_ALERT_WEBHOOK_URL: url });
  const version = async (n: number) =>
    (await p.api.createConfig({ strategy_name: STRATEGY, config_data: { n } })).config_id;
  const active = async () => (await p.api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.dev;
  const schedule = async (body: Record<string, unknown>) =>
    p.http("/api/v1/schedules", postJson(JSON.stringify({ strategy: STRATEGY, environment: "dev", ...body })));
  /** Both replicas look at once, until the scheduled change ended. */
  const runDue = async (id: string) =>
    eventually(async () => {
      await Promise.all([p.rolloutDriver.tick(), b.rolloutDriver.tick()]);
      const row = (await p.http(`/api/v1/schedules/${id}`)).body;
      return row.state === "pending" ? undefined : row;
    }, `scheduled change ${id} carried out`);
  const audit = async (action: string, id: string) => (await p.api.listAudit({ action, target_id: id })).items;

  beforeAll(async () => {
    sink = await startWebhookSink();
    p = await startTestPlatform(settings(sink.url));
    b = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none", ...settings(sink.url) }),
      p.db,
    );
    await p.api.activate(STRATEGY, await version(1));
    // A real subscriber on the other replica: it hears the scheduled change when it runs.
    const { token } = await p.api.createToken({ name: "scheduled-worker", roles: ["worker"] });
    worker = createConfigSubscriber({
      url: b.url,
      credentials: { token },
      environment: "dev",
      strategies: [STRATEGY],
      workerId: "scheduled-worker",
      mode: "paper",
      lastKnownGood: null,
      warn: () => {},
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await b?.close();
    await p?.close();
    await sink?.close();
  });

  it("runs once at its time, however many replicas look; in a time zone; listed while pending", async () => {
    const next = await version(2);
    const res = await schedule({ kind: "activation", config_id: next, at: inSeconds(1.5) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      state: "pending",
      config_id: next,
      expected_active: await active(),
      time_zone: "UTC",
    });
    const pending = (await p.http("/api/v1/schedules?environment=dev&state=pending")).body.items;
    expect(pending.map((s: { id: string }) => s.id)).toContain(res.body.id);
    // Not before its time.
    await Promise.all([p.rolloutDriver.tick(), b.rolloutDriver.tick()]);
    expect(await active()).not.toBe(next);

    const done = await runDue(res.body.id);
    expect(done).toMatchObject({ state: "done", outcome: "applied" });
    expect(await active()).toBe(next);
    expect(await audit("schedule.execute", res.body.id)).toHaveLength(1);
    const activations = (await p.api.listAudit({ action: "config.activate", target_id: `${STRATEGY}/${next}` })).items;
    expect(activations).toHaveLength(1);
    expect(activations[0]?.actor).toBe("admin");
    await eventually(async () => {
      worker.boundary();
      return worker.current(STRATEGY).config_version_id === next ? true : undefined;
    }, "the worker on the scheduled version");

    // A wall-clock time in a time zone.
    const tokyo = await schedule({
      kind: "activation",
      config_id: next,
      at: "2030-01-01T09:00",
      time_zone: "Asia/Tokyo",
    });
    expect(tokyo.body).toMatchObject({ run_at: "2030-01-01T00:00:00.000Z", local_time: "2030-01-01T09:00:00+09:00" });
  });

  it("refuses loudly inside a freeze, and when another version is active by then", async () => {
    const frozenOut = await version(3);
    const res = await schedule({ kind: "activation", config_id: frozenOut, at: inSeconds(1) });
    const window = await p.api.addFreezeWindow("dev", {
      reason: "funding window",
      starts_at: new Date(Date.now() - 60_000).toISOString(),
      ends_at: new Date(Date.now() + 600_000).toISOString(),
    });
    const refused = await runDue(res.body.id);
    expect(refused.state).toBe("refused");
    expect(refused.outcome).toContain("frozen");
    expect(await active()).not.toBe(frozenOut);
    expect(await audit("schedule.refuse", res.body.id)).toHaveLength(1);
    const alerts = sink.received.filter((a) => (a as { kind: string }).kind === "schedule_refused");
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain("funding window");
    await p.api.removeFreezeWindow("dev", window.id);

    const later = await version(4);
    const moved = await schedule({ kind: "activation", config_id: later, at: inSeconds(1) });
    await p.api.activate(STRATEGY, await version(5)); // someone else moved meanwhile
    const stale = await runDue(moved.body.id);
    expect(stale.state).toBe("refused");
    expect(stale.outcome).toContain("expected");
    expect(await active()).not.toBe(later);

    // It acts as whoever scheduled it, as they may act then: an editor made a viewer since cannot.
    const editor = await p.user("sched-editor", "editor");
    const theirs = await p.as(editor).scheduleChange({
      kind: "activation",
      strategy: STRATEGY,
      environment: "dev",
      config_id: later,
      at: inSeconds(1),
    });
    await p.api.updateUser(editor.username, { role: "viewer" });
    const demoted = await runDue(theirs.id);
    expect(demoted).toMatchObject({ state: "refused" });
    expect(demoted.outcome).toContain("sched-editor, who scheduled it, may no longer configs.activate");
    expect(await active()).not.toBe(later);
  });

  it("a pending one is cancelled, once; bad input is named and leaves nothing", async () => {
    const before = (await p.http("/api/v1/schedules")).body.items.length;
    const badZone = await schedule({
      kind: "activation",
      config_id: await active(),
      at: "2030-01-01T09:00",
      time_zone: "Mars/Olympus",
    });
    expect(badZone.status).toBe(422);
    expect(JSON.stringify(badZone.body.errors)).toContain("time_zone");
    const past = await schedule({ kind: "activation", config_id: await active(), at: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(422);
    expect(JSON.stringify(past.body.errors)).toContain('"at"');
    const noVersion = await schedule({ kind: "activation", at: inSeconds(3600) });
    expect(noVersion.status).toBe(422);
    expect((await p.http("/api/v1/schedules")).body.items.length).toBe(before);

    const res = await schedule({ kind: "rollback", at: inSeconds(3600) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const cancel = await p.http(
      `/api/v1/schedules/${res.body.id}/cancel`,
      postJson(JSON.stringify({ reason: "not today" })),
    );
    expect(cancel.body).toMatchObject({ state: "cancelled", outcome: "cancelled by admin: not today" });
    const again = await p.http(
      `/api/v1/schedules/${res.body.id}/cancel`,
      postJson(JSON.stringify({ reason: "twice" })),
    );
    expect(again.status).toBe(409);
  });

  it("a scheduled rollout starts its rollout at its time", async () => {
    const next = await version(6);
    const res = await schedule({
      kind: "rollout",
      config_id: next,
      steps: [{ share: 0.5, bake_seconds: 3600 }],
      at: inSeconds(1),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await runDue(res.body.id)).state).toBe("done");
    const [rollout] = (await p.api.listRollouts({ strategy: STRATEGY, environment: "dev" })).rollouts;
    expect(rollout).toMatchObject({ state: "running", config_id: next, created_by: "admin" });
  });

  it("a change request approved ahead applies at its time, not at its last approval; a stale approval refuses it, loudly", async () => {
    await p.activateApproved(STRATEGY, await version(10), "prod");
    const activeInProd = async () =>
      (await p.api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.prod;
    const approver = await p.user("sched-approver", "approver");
    const proposeInProd = async (n: number) => {
      const outcome = await p.http(
        `/api/v1/configs/${STRATEGY}/${await version(n)}/activate?environment=prod`,
        postJson("{}"),
      );
      expect(outcome.status).toBe(202);
      return outcome.body.change_request as { id: number; config_id: string };
    };

    const cr = await proposeInProd(11);
    const res = await p.http(
      "/api/v1/schedules",
      postJson(JSON.stringify({ kind: "change_request", change_request_id: cr.id, at: inSeconds(2) })),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: "change_request", change_request_id: cr.id, environment: "prod" });
    await p.as(approver).approveChangeRequest(cr.id);
    // Approved, and still waiting for its time.
    expect((await p.api.getChangeRequest(cr.id)).status).toBe("pending");
    expect(await activeInProd()).not.toBe(cr.config_id);
    const done = await runDue(res.body.id);
    expect(done).toMatchObject({ state: "done", outcome: "applied" });
    expect(await activeInProd()).toBe(cr.config_id);
    expect((await p.api.getChangeRequest(cr.id)).status).toBe("applied");

    // Approved, then the world moved (prod's base values changed what it would do): stale, refused.
    const second = await proposeInProd(12);
    const again = await p.http(
      "/api/v1/schedules",
      postJson(JSON.stringify({ kind: "change_request", change_request_id: second.id, at: inSeconds(2) })),
    );
    await p.as(approver).approveChangeRequest(second.id);
    await p.approved(p.api.putEnvironmentBase("prod", { fee: 0.1 }));
    const refused = await runDue(again.body.id);
    expect(refused.state).toBe("refused");
    expect(refused.outcome).toContain("stale");
    expect((await p.api.getChangeRequest(second.id)).status).toBe("stale");
    expect(await activeInProd()).toBe(cr.config_id);
    const alerts = sink.received.filter((a) => JSON.stringify(a).includes(again.body.id));
    expect(alerts.map((a) => (a as { kind: string }).kind)).toEqual(["schedule_refused"]);
  });
});
