/**
 * The side roads: each way a change used to reach an environment around the rules (issue 15),
 * tried again as a user would, and refused. The rules hold on the effect of a change, whatever the
 * route: scope (reads too), four eyes counted in people, break-glass only where two people allowed
 * it, critical values and weakened rules through base values or the catalog, nothing left to
 * resolve, and freezes.
 */
import { createHash } from "node:crypto";
import { type ApiClient, isProposed } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { refusal, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe(`the side roads are closed (${backend})`, () => {
  let p: TestPlatform;
  let editor: ApiClient;
  let approver1: ApiClient;
  let approver2: ApiClient;
  /** A version with no stoploss of its own. */
  let v1: string;
  /** The resolved hash of S in an environment (null: nothing resolves). */
  const resolvedHash = async (environment: string) => {
    const res = await p.http(`/api/v1/resolve/S?environment=${environment}`);
    return res.status === 200 ? (res.body.resolved_hash as string) : null;
  };
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: "S", config_data: data })).config_id;
  const proposed = <T extends object>(outcome: T) => {
    if (!("change_request" in outcome)) throw new Error(`expected a change request, got ${JSON.stringify(outcome)}`);
    return (outcome as { change_request: { id: number; status: string; reasons: string[] } }).change_request;
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    editor = p.as(await p.user("ed", "editor"));
    approver1 = p.as(await p.user("approver1", "approver"));
    approver2 = p.as(await p.user("approver2", "approver"));
    // S's versions carry notes the catalog does not describe: its policy keeps them.
    await p.api.setCatalogPolicy("S", "open");
    await p.api.createParameter({
      name: "stoploss",
      type: "number",
      min: -0.5,
      max: 0,
      description: "Stop loss",
      criticality: "critical",
      strategies: ["S"],
    });
    // The running version sets no stoploss of its own: the layers below decide it.
    v1 = await version({ note: "v1" });
    for (const env of ["dev", "staging", "prod"]) expect(await p.activateApproved("S", v1, env)).toBe("applied");
    expect(isProposed(await p.api.putEnvironmentBase("dev", { dev_only: true }))).toBe(false);
  });
  afterAll(() => p?.close());

  it("a staging-scoped worker token reads and writes nothing of dev or prod (403), and lists only staging", async () => {
    const { token } = await p.api.createToken({ name: "staging-worker", roles: ["worker"], environments: ["staging"] });
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const v1 = (await p.api.listStrategies()).items.find((s) => s.strategy_name === "S")?.active.prod;
    for (const path of [
      "/api/v1/resolve/S?environment=prod",
      "/api/v1/resolve/S?environment=dev",
      "/api/v1/resolve/S", // the default environment is dev
      `/api/v1/configs/S?environment=prod`,
      `/api/v1/configs/S/${v1}?environment=prod`,
      "/api/v1/environments/dev/base",
      "/api/v1/environments/prod/base",
      "/api/v1/environments/prod",
      "/api/v1/stream?environment=prod",
    ]) {
      const res = await p.http(path, auth);
      expect(res.status, path).toBe(403);
      expect(res.body.detail, path).toMatch(/may act only in staging/);
    }
    expect((await p.http("/api/v1/resolve/S?environment=staging", auth)).status).toBe(200);
    expect((await p.http("/api/v1/environments/staging/base", auth)).status).toBe(200);
    const listed = await p.http("/api/v1/configs", auth);
    expect(listed.body.environments).toEqual(["staging"]);
    expect(Object.keys(listed.body.items[0].active)).toEqual(["staging"]);
    expect((await p.http("/api/v1/environments", auth)).body.items.map((e: { name: string }) => e.name)).toEqual([
      "staging",
    ]);
  });

  it("run details of another environment are refused to a scoped reader; lists show only its environment", async () => {
    const prodRun = (await p.api.submitBacktest({ config: SEED_BACKTEST }, { environment: "prod" })).job_id;
    const { token } = await p.api.createToken({ name: "staging-viewer", roles: ["viewer"], environments: ["staging"] });
    const auth = { headers: { authorization: `Bearer ${token}` } };
    for (const path of [
      `/api/v1/backtests/${prodRun}`,
      `/api/v1/backtests/${prodRun}/logs`,
      `/api/v1/backtests/${prodRun}/trace`,
    ]) {
      expect((await p.http(path, auth)).status, path).toBe(403);
    }
    const runs = await p.http("/api/v1/backtests", auth);
    expect(runs.body.items.map((r: { job_id: string }) => r.job_id)).not.toContain(prodRun);
  });

  it("an admin's approver token acts for the admin: it cannot approve what the admin proposed", async () => {
    const cr = proposed(
      await p.api.activate("S", await version({ stoploss: -0.05, note: "admin's" }), { environment: "prod" }),
    );
    const { token } = await p.api.createToken({ name: "admins-approver", roles: ["approver"] });
    const refused = await refusal(p.as({ token }).approveChangeRequest(cr.id));
    expect(refused.status).toBe(403);
    expect(refused.detail).toMatch(
      /admin proposed change request \d+ and cannot approve it \(token:admins-approver acts for admin\)/,
    );
    expect((await p.api.getChangeRequest(cr.id)).approvals).toBe(0);
    await p.api.rejectChangeRequest(cr.id, "cleanup").catch(() => undefined);
  });

  it("a token with no person behind it can never approve; approvals count distinct people", async () => {
    await p.approved(p.api.updateEnvironmentPolicy("prod", { approvals_required: 2 }));
    try {
      const cr = proposed(
        await editor.activate("S", await version({ stoploss: -0.05, note: "two" }), { environment: "prod" }),
      );
      // A token from before tokens named their person (made by the platform itself): nobody is behind it.
      const secret = "tdt_walk-no-person-token-000000000000000000000000";
      await p.db.query(
        `INSERT INTO service_tokens (name, secret_hash, prefix, roles, environments, expires_at, created_by, person)
         VALUES ('nobody', $1, 'tdt_walk-n', ARRAY['approver'], NULL, now() + interval '1 day', 'system', NULL)`,
        [createHash("sha256").update(secret).digest("hex")],
      );
      expect((await approver1.approveChangeRequest(cr.id)).status).toBe("pending");
      const nobody = await refusal(p.as({ token: secret }).approveChangeRequest(cr.id));
      expect(nobody.status).toBe(403);
      expect(nobody.detail).toContain("acts for no person");
      // approver1 again through another credential of theirs (a login token): the same person.
      const { token: session } = await p.as().login("approver1", "approver1-password-0");
      const twice = await refusal(p.as({ token: session }).approveChangeRequest(cr.id));
      expect(twice.status).toBe(409);
      expect(twice.detail).toContain("approver1 has already approved");
      expect((await p.api.getChangeRequest(cr.id)).status).toBe("pending");
      // A second person: applied.
      const applied = await approver2.approveChangeRequest(cr.id);
      expect(applied).toMatchObject({ status: "applied", approvals: 2 });
      expect(applied.reviews.map((r) => r.reviewer_person)).toEqual(["approver1", "approver2"]);
    } finally {
      await p.approved(p.api.updateEnvironmentPolicy("prod", { approvals_required: 1 }));
    }
  });

  it("one admin can neither allow break-glass alone nor break glass on their own request until two people allowed it", async () => {
    const allow = await p.api.updateEnvironmentPolicy("prod", { break_glass_allowed: true });
    const request = proposed(allow);
    expect(request.reasons).toEqual(["weakens governance: policy prod allows break-glass"]);
    expect((await p.api.getEnvironment("prod")).break_glass_allowed).toBe(false);
    const own = proposed(
      await p.api.activate("S", await version({ stoploss: -0.05, note: "glass" }), { environment: "prod" }),
    );
    const refused = await refusal(p.api.breakGlass(own.id, "I am in a hurry"));
    expect(refused.status).toBe(403);
    expect(refused.detail).toContain("does not allow break-glass");
    // A second person allows it; now break-glass is one person's act, audited and marked.
    expect((await approver1.approveChangeRequest(request.id)).status).toBe("applied");
    const glass = await p.api.breakGlass(own.id, "exchange outage");
    expect(glass).toMatchObject({ status: "applied", break_glass_reason: "exchange outage", approvals: 0 });
    const applied = (await p.api.listAudit({ action: "config.activate", limit: 1 })).items[0];
    expect(applied?.details).toMatchObject({ change_request_id: own.id, break_glass_reason: "exchange outage" });
    await p.api.updateEnvironmentPolicy("prod", { break_glass_allowed: false });
  });

  it("a critical value does not change through base values without a change request", async () => {
    expect(await p.activateApproved("S", v1, "prod")).toBe("applied"); // prod runs a version without stoploss
    const before = await resolvedHash("prod");
    const prod = proposed(await p.api.putEnvironmentBase("prod", { stoploss: -0.4 }));
    expect(prod.reasons).toEqual(["prod requires approval", "critical parameters change in prod (S): stoploss"]);
    expect(await resolvedHash("prod")).toBe(before);
    expect((await p.api.getEnvironmentBase("prod")).revision).toBe(0);
    // In dev, which requires no approval, a critical value still needs four eyes.
    const devBefore = await resolvedHash("dev");
    const dev = proposed(await p.api.putEnvironmentBase("dev", { dev_only: true, stoploss: -0.3 }));
    expect(dev.reasons).toEqual(["critical parameters change in dev (S): stoploss"]);
    expect(await resolvedHash("dev")).toBe(devBefore);
    expect((await approver1.approveChangeRequest(dev.id)).status).toBe("applied");
    expect((await p.api.resolve("S", { environment: "dev" })).values).toMatchObject({ stoploss: -0.3 });
    await approver1.rejectChangeRequest(prod.id, "not in prod");
  });

  it("lowering a parameter's criticality is itself a change request; until approved, the value stays critical", async () => {
    const flip = proposed(
      await p.api.updateParameter({
        name: "stoploss",
        type: "number",
        min: -0.5,
        max: 0,
        description: "Stop loss",
        criticality: "normal",
        strategies: ["S"],
      }),
    );
    expect(flip.reasons).toEqual([
      "weakens governance: parameter stoploss lowers its criticality from critical to normal",
    ]);
    expect((await p.api.getParameter("stoploss")).parameter.criticality).toBe("critical");
    const wider = proposed(
      await p.api.updateParameter({
        name: "stoploss",
        type: "number",
        min: -0.9,
        max: 0,
        description: "Stop loss",
        criticality: "critical",
        strategies: ["S"],
      }),
    );
    expect(wider.reasons).toEqual(["weakens governance: parameter stoploss widens min from -0.5 to -0.9"]);
    const riskier = await version({ stoploss: -0.45, note: "riskier" });
    const cr = proposed(await editor.activate("S", riskier, { environment: "dev" }));
    expect(cr.reasons).toEqual(["critical parameters change in dev (S): stoploss"]);
    for (const id of [flip.id, wider.id, cr.id]) await approver1.rejectChangeRequest(id, "no");
  });

  it("an editor cannot deprecate the version prod runs: 409 naming prod, and prod still resolves", async () => {
    const prodVersion = (await p.api.listStrategies()).items.find((s) => s.strategy_name === "S")?.active
      .prod as string;
    const before = await resolvedHash("prod");
    const refused = await refusal(editor.deprecateConfig("S", prodVersion, { environment: "prod" }));
    expect(refused.status).toBe(409);
    expect(refused.detail).toMatch(
      /is active in dev, prod, staging; deprecating it would leave nothing to resolve there/,
    );
    expect(await resolvedHash("prod")).toBe(before);
  });

  it("in a frozen prod, neither base values nor a new catalog default change what prod resolves", async () => {
    const window = await p.api.addFreezeWindow("prod", {
      reason: "FOMC",
      starts_at: hoursFromNow(-1),
      ends_at: hoursFromNow(1),
    });
    try {
      await p.approved(p.api.updateEnvironmentPolicy("prod", { requires_approval: false }));
      const before = await resolvedHash("prod");
      const base = await refusal(p.api.putEnvironmentBase("prod", { venue: "binance" }));
      expect(base.status).toBe(423);
      expect(base.detail).toContain(`freeze window ${window.id} ("FOMC")`);
      const catalog = await refusal(
        p.api.createParameter({
          name: "venue",
          type: "string",
          default: "binance",
          description: "Venue",
          strategies: ["S"],
        }),
      );
      expect(catalog.status).toBe(423);
      expect(await resolvedHash("prod")).toBe(before);
      expect((await p.api.getParameter("venue").catch(() => null))?.parameter).toBeUndefined();
      // An editor cannot override; the override of someone allowed is recorded.
      const byEditor = await refusal(
        editor.putEnvironmentBase("prod", { venue: "binance" }, { freezeOverrideReason: "x" }),
      );
      expect(byEditor.status).toBe(403);
      const overridden = await p.api.putEnvironmentBase(
        "prod",
        { venue: "binance" },
        { freezeOverrideReason: "venue outage" },
      );
      expect(isProposed(overridden)).toBe(false);
      expect(await resolvedHash("prod")).not.toBe(before);
      const entry = (await p.api.listAudit({ action: "environment.set_base", limit: 1 })).items[0];
      expect(entry?.details).toMatchObject({ freeze_overrides: [{ environment: "prod", reason: "venue outage" }] });
    } finally {
      await p.api.removeFreezeWindow("prod", window.id);
      await p.api.updateEnvironmentPolicy("prod", { requires_approval: true });
    }
  });
});
