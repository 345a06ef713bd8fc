/**
 * Freeze windows: one-off and recurring (cron); whatever would change a frozen environment's
 * resolved configs (activations, rollbacks, restores, approvals that apply) is refused with 423;
 * admin override with a reason.
 */
import type { ApiClient } from "@tradai/client";
import { problemTypes } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, refusal, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { startWebhookSink, type WebhookSink } from "../../../test-support/webhook-sink.js";

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe(`freeze windows (${backend})`, () => {
  let p: TestPlatform;
  let sink: WebhookSink;
  let alice: ApiClient; // editor
  let bob: ApiClient; // approver
  const version = async (strategy: string, data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: strategy, config_data: data })).config_id;

  beforeAll(async () => {
    sink = await startWebhookSink();
    p = await startTestPlatform({ TRADAI_ALERT_WEBHOOK_URL: sink.url });
    alice = p.as(await p.user("alice", "editor"));
    bob = p.as(await p.user("bob", "approver"));
  });
  afterAll(async () => {
    await p?.close();
    await sink?.close();
  });

  it("a one-off window refuses activations with 423 naming it; an admin may override with a reason, audited", async () => {
    const [v1, v2] = [await version("Fz", { f: 1 }), await version("Fz", { f: 2 })];
    await alice.activate("Fz", v1, { environment: "staging" });
    const window = await p.api.addFreezeWindow("staging", {
      reason: "quarterly close",
      starts_at: hoursFromNow(-1),
      ends_at: hoursFromNow(2),
    });
    expect(window).toMatchObject({ kind: "one-off", active_now: true, environment: "staging" });
    expect((await p.api.getEnvironment("staging")).frozen).toBe(true);

    const frozen = await refusal(alice.activate("Fz", v2, { environment: "staging" }));
    expect(frozen).toMatchObject({ status: 423, type: problemTypes.frozen });
    expect(frozen.detail).toContain(
      `staging is frozen until ${window.ends_at} by freeze window ${window.id} ("quarterly close")`,
    );
    // Only admins override.
    const editorOverride = await refusal(
      alice.activate("Fz", v2, { environment: "staging", freezeOverrideReason: "urgent" }),
    );
    expect(editorOverride.status).toBe(403);
    const auditBefore = (await p.api.listAudit({ action: "config.activate" })).total;
    const overridden = await p.api.activate("Fz", v2, {
      environment: "staging",
      freezeOverrideReason: "hotfix for a bad fill",
    });
    expect(overridden).toMatchObject({ status: "active", changed: true });
    const { rows } = await p.db.query<{ freeze_override_reason: string }>(
      "SELECT freeze_override_reason FROM activations WHERE strategy_name = 'Fz' AND ended_at IS NULL",
    );
    expect(rows[0]?.freeze_override_reason).toBe("hotfix for a bad fill");
    const entry = (await p.api.listAudit({ action: "config.activate", target_id: `Fz/${v2}` })).items[0];
    expect(entry?.details).toMatchObject({
      freeze_overrides: [
        {
          environment: "staging",
          window_id: window.id,
          window_reason: "quarterly close",
          reason: "hotfix for a bad fill",
        },
      ],
    });
    expect((await p.api.listAudit({ action: "config.activate" })).total).toBe(auditBefore + 1);
    // ...and announced to on-call.
    expect(sink.received).toContainEqual(
      expect.objectContaining({
        kind: "freeze_override",
        environment: "staging",
        actor: "admin",
        window_id: window.id,
      }),
    );
    // Other environments are not frozen.
    expect(await alice.activate("Fz", v1, { environment: "dev" })).toMatchObject({ status: "active" });

    const removed = await p.api.removeFreezeWindow("staging", window.id);
    expect(removed.id).toBe(window.id);
    expect((await p.api.getEnvironment("staging")).frozen).toBe(false);
    expect(await alice.activate("Fz", v1, { environment: "staging" })).toMatchObject({ status: "active" });
  });

  it("a rollback or an audit restore in a frozen environment is refused with 423; an admin may override with a reason", async () => {
    const [v1, v2] = [await version("Fr", { r: 1 }), await version("Fr", { r: 2 })];
    await alice.activate("Fr", v1, { environment: "dev" });
    await alice.activate("Fr", v2, { environment: "dev" });
    const window = await p.api.addFreezeWindow("dev", {
      reason: "exchange upgrade",
      starts_at: hoursFromNow(-1),
      ends_at: hoursFromNow(1),
    });
    const activeInDev = async () =>
      (await p.api.listStrategies()).items.find((s) => s.strategy_name === "Fr")?.active.dev;
    try {
      expect((await refusal(alice.rollback("Fr", { environment: "dev" }))).status).toBe(423);
      const editorOverride = await refusal(
        alice.rollback("Fr", { environment: "dev", freezeOverrideReason: "urgent" }),
      );
      expect(editorOverride.status).toBe(403);
      expect(await activeInDev()).toBe(v2);
      const rolledBack = await p.api.rollback("Fr", { environment: "dev", freezeOverrideReason: "bad fills on v2" });
      expect(rolledBack).toMatchObject({ config_id: v1 });
      expect(await activeInDev()).toBe(v1);
      const { rows } = await p.db.query<{ freeze_override_reason: string }>(
        "SELECT freeze_override_reason FROM activations WHERE strategy_name = 'Fr' AND ended_at IS NULL",
      );
      expect(rows[0]?.freeze_override_reason).toBe("bad fills on v2");

      const created = (await p.api.listAudit({ action: "config.create", target_id: `Fr/${v2}` })).items[0];
      const restore = (body: object) => p.http(`/api/v1/audit/${created?.seq}/restore`, postJson(JSON.stringify(body)));
      expect((await restore({ environment: "dev" })).status).toBe(423);
      expect(await activeInDev()).toBe(v1);
      const restored = await restore({ environment: "dev", freeze_override_reason: "v2 was fine after all" });
      expect(restored.status).toBe(200);
      expect(await activeInDev()).toBe(v2);
    } finally {
      await p.api.removeFreezeWindow("dev", window.id);
    }
  });

  it("approvals landing in a frozen environment are refused too", async () => {
    const v = await version("Fa", { a: 1 });
    const outcome = await alice.activate("Fa", v, { environment: "prod" });
    if (!("change_request" in outcome)) throw new Error("prod should need approval");
    const window = await p.api.addFreezeWindow("prod", {
      reason: "FOMC",
      starts_at: hoursFromNow(-1),
      ends_at: hoursFromNow(1),
    });
    try {
      const refused = await refusal(bob.approveChangeRequest(outcome.change_request.id));
      expect(refused.status).toBe(423);
      expect((await p.api.getChangeRequest(outcome.change_request.id)).status).toBe("pending");
      expect((await p.api.getChangeRequest(outcome.change_request.id)).reviews).toEqual([]);
      // Proposing changes nothing in force, so it may be done while frozen; applying it waits.
      const other = await version("Fa", { a: 2 });
      const later = await alice.activate("Fa", other, { environment: "prod" });
      expect(later).toMatchObject({ change_request: { status: "pending" } });
    } finally {
      await p.api.removeFreezeWindow("prod", window.id);
    }
    expect((await bob.approveChangeRequest(outcome.change_request.id)).status).toBe("applied");
  });

  it("recurring windows follow their cron expression and duration in their time zone", async () => {
    const always = await p.api.addFreezeWindow("dev", {
      reason: "every minute, for two",
      cron: "* * * * *",
      duration_seconds: 120,
      time_zone: "Europe/London",
    });
    expect(always).toMatchObject({ kind: "recurring", active_now: true, time_zone: "Europe/London" });
    expect(Date.parse(always.active_until ?? "")).toBeGreaterThan(Date.now());
    const v = await version("Fr", { r: 1 });
    expect((await refusal(alice.activate("Fr", v, { environment: "dev" }))).status).toBe(423);
    await p.api.removeFreezeWindow("dev", always.id);
    // A daily minute twelve hours from now.
    const later = new Date(Date.now() + 12 * 3_600_000);
    const never = await p.api.addFreezeWindow("dev", {
      reason: "later today",
      cron: `${later.getUTCMinutes()} ${later.getUTCHours()} * * *`,
      duration_seconds: 60,
    });
    expect(never.active_now).toBe(false);
    expect(await alice.activate("Fr", v, { environment: "dev" })).toMatchObject({ status: "active" });
    await p.api.removeFreezeWindow("dev", never.id);
  });

  it("refuses windows that make no sense, naming the field, and stores nothing", async () => {
    const before = (await p.api.getEnvironment("dev")).freeze_windows.length;
    const auditBefore = (await p.api.listAudit()).total;
    const cases: [string, string][] = [
      [JSON.stringify({ reason: "x", cron: "61 * * * *", duration_seconds: 60 }), "cron"],
      [JSON.stringify({ reason: "x", cron: "* * *", duration_seconds: 60 }), "cron"],
      [
        JSON.stringify({ reason: "x", cron: "* * * * *", duration_seconds: 60, time_zone: "Mars/Olympus" }),
        "time_zone",
      ],
      [JSON.stringify({ reason: "x", starts_at: hoursFromNow(2), ends_at: hoursFromNow(1) }), "ends_at"],
    ];
    for (const [body, field] of cases) {
      const res = await p.http("/api/v1/environments/dev/freezes", postJson(body));
      expect(res.status, body).toBe(422);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        body,
      ).toContain(field);
    }
    const unknown = await p.http(
      "/api/v1/environments/qa/freezes",
      postJson(JSON.stringify({ reason: "x", starts_at: hoursFromNow(1), ends_at: hoursFromNow(2) })),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('unknown environment "qa"');
    expect((await p.api.getEnvironment("dev")).freeze_windows.length).toBe(before);
    expect((await p.api.listAudit()).total).toBe(auditBefore);
  });
});
