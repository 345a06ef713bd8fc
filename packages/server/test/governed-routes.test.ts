/**
 * The route walk of the one write path: every route that changes state is driven once, for real,
 * and must have gone through the change kernel (its audit entry carries the request's id). A new
 * mutating route fails here until it has a case; a route that writes outside `commitChange` fails
 * because the write guard refuses the write (500). Only reports of what already happened (a run's
 * progress, a worker's heartbeat) write outside it, to their own tables, with no audit entry.
 */
import { createHash } from "node:crypto";
import { isProposed } from "@tradai/client";
import { contentHash } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION, basicAuthorization } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

interface WalkRequest {
  path: string;
  body?: unknown;
  /** Authorization header; default: the admin. */
  authorization?: string;
}

/** Routes that report what already happened instead of changing state: no governed change, no audit entry. */
const REPORTS = new Set([
  "POST /api/v1/backtests/:job_id/progress",
  "POST /api/v1/workers/:worker_id/heartbeat",
  "POST /api/v1/workers/:worker_id/sessions",
]);

/** Routes that only read, but take a body (too large for a query string): they must change nothing. */
const READS = new Set(["POST /api/v1/audit/anchors/check"]);

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe(`every state-changing route goes through the change kernel (${backend})`, () => {
  let p: TestPlatform;
  const approver = { username: "walk-approver", password: "walk-approver-password-0" };
  const editor = { username: "walk-editor", password: "walk-editor-password-0" };
  const asApprover = () => basicAuthorization(approver.username, approver.password);
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: "Walk", config_data: data })).config_id;
  /** A change request: an activation in prod, which requires approval. */
  const proposal = async (data: Record<string, unknown>) => {
    const outcome = await p.api.activate("Walk", await version(data), { environment: "prod" });
    if (!isProposed(outcome)) throw new Error("prod should require approval");
    return outcome.change_request.id;
  };
  const job = async () => (await p.api.submitBacktest({ config: SEED_BACKTEST })).job_id;
  /** A staged rollout in dev of a second version of `strategy` (a first one active), baking for an hour. */
  const rollout = async (strategy: string) => {
    const first = await p.api.createConfig({ strategy_name: strategy, config_data: { step: "first" } });
    await p.api.activate(strategy, first.config_id);
    const second = await p.api.createConfig({ strategy_name: strategy, config_data: { step: "second" } });
    return { strategy, environment: "dev", config_id: second.config_id, steps: [{ share: 0.5, bake_seconds: 3600 }] };
  };
  const startedRollout = async (strategy: string) => {
    const res = await p.http("/api/v1/rollouts", postJson(JSON.stringify(await rollout(strategy))));
    if (res.status !== 201) throw new Error(`rollout not started: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  /** One real request per mutating route, with whatever it needs set up first (through the API). */
  const cases: Record<string, () => Promise<WalkRequest>> = {
    "POST /api/v1/auth/login": async () => ({
      path: "/api/v1/auth/login",
      body: { username: editor.username, password: editor.password, issue: "token" },
      authorization: "",
    }),
    "POST /api/v1/audit/anchors/check": async () => {
      const entry = await p.api.getAuditEntry(1);
      return { path: "/api/v1/audit/anchors/check", body: { anchors: [{ seq: 1, hash: entry.hash }] } };
    },
    "POST /api/v1/auth/logout": async () => {
      const { token } = await p.as().login(editor.username, editor.password);
      return { path: "/api/v1/auth/logout", authorization: `Bearer ${token}` };
    },
    "POST /api/v1/auth/password": async () => ({
      path: "/api/v1/auth/password",
      body: { current_password: editor.password, new_password: `${editor.password}-new` },
      authorization: basicAuthorization(editor.username, editor.password),
    }),
    "POST /api/v1/users": async () => ({
      path: "/api/v1/users",
      body: { username: "walk-new", role: "viewer", password: "walk-new-password-0" },
    }),
    "PATCH /api/v1/users/:username": async () => ({ path: "/api/v1/users/walk-new", body: { role: "editor" } }),
    "POST /api/v1/tokens": async () => ({ path: "/api/v1/tokens", body: { name: "walk-token", roles: ["viewer"] } }),
    "DELETE /api/v1/tokens/:id": async () => {
      const { id } = await p.api.createToken({ name: "walk-revoked", roles: ["viewer"] });
      return { path: `/api/v1/tokens/${id}` };
    },
    "POST /api/v1/configs": async () => ({
      path: "/api/v1/configs",
      body: { strategy_name: "Walk", config_data: { created: true } },
    }),
    "POST /api/v1/configs/:strategy/:config_id/activate": async () => ({
      path: `/api/v1/configs/Walk/${await version({ step: "activate" })}/activate?environment=dev`,
    }),
    "POST /api/v1/configs/:strategy/rollback": async () => {
      await p.api.activate("Walk", await version({ step: "before rollback" }));
      return { path: "/api/v1/configs/Walk/rollback?environment=dev" };
    },
    "POST /api/v1/configs/:strategy/:config_id/promote": async () => {
      const active = (await p.api.listStrategies()).items.find((s) => s.strategy_name === "Walk")?.active.dev;
      return { path: `/api/v1/configs/Walk/${active}/promote`, body: { from: "dev", to: "staging" } };
    },
    "POST /api/v1/configs/:strategy/:config_id/deprecate": async () => ({
      path: `/api/v1/configs/Walk/${await version({ step: "deprecate" })}/deprecate`,
      body: { reason: "never used" },
    }),
    "POST /api/v1/audit/:seq/restore": async () => {
      const created = await version({ step: "restore" });
      const entry = (await p.api.listAudit({ action: "config.create", target_id: `Walk/${created}` })).items[0];
      return { path: `/api/v1/audit/${entry?.seq}/restore`, body: { environment: "dev" } };
    },
    "PUT /api/v1/environments/:name": async () => ({
      path: "/api/v1/environments/staging",
      body: { approvals_required: 2 },
    }),
    "POST /api/v1/environments/:name/freezes": async () => ({
      path: "/api/v1/environments/staging/freezes",
      body: { reason: "walk", starts_at: hoursFromNow(10), ends_at: hoursFromNow(11) },
    }),
    "DELETE /api/v1/environments/:name/freezes/:id": async () => {
      const window = await p.api.addFreezeWindow("staging", {
        reason: "walk, removed",
        starts_at: hoursFromNow(20),
        ends_at: hoursFromNow(21),
      });
      return { path: `/api/v1/environments/staging/freezes/${window.id}` };
    },
    "PUT /api/v1/environments/:environment/base": async () => ({
      path: "/api/v1/environments/dev/base",
      body: { values: { note: "walk" } },
    }),
    "POST /api/v1/catalog": async () => ({
      path: "/api/v1/catalog",
      body: { name: "walk_knob", type: "number", description: "A knob", strategies: ["Walk"] },
    }),
    "PUT /api/v1/catalog/parameters/:name": async () => ({
      path: "/api/v1/catalog/parameters/walk_knob",
      body: { name: "walk_knob", type: "number", description: "A knob, described", strategies: ["Walk"] },
    }),
    "POST /api/v1/catalog/parameters/:name/deprecate": async () => ({
      path: "/api/v1/catalog/parameters/walk_knob/deprecate",
      body: { reason: "walked" },
    }),
    "PUT /api/v1/catalog/policies/:strategy": async () => ({
      path: "/api/v1/catalog/policies/WalkStrict",
      body: { policy: "strict" },
    }),
    "POST /api/v1/catalog/rules": async () => {
      await p.api.createParameter({ name: "walk_low", type: "number", description: "Low", strategies: ["Walk"] });
      return {
        path: "/api/v1/catalog/rules",
        body: { name: "walk_rule", expression: "walk_low < 10", message: "low", strategies: ["Walk"] },
      };
    },
    "DELETE /api/v1/catalog/rules/:name": async () => ({ path: "/api/v1/catalog/rules/walk_rule" }),
    "POST /api/v1/change-requests/:id/approve": async () => ({
      path: `/api/v1/change-requests/${await proposal({ step: "approve" })}/approve`,
      authorization: asApprover(),
    }),
    "POST /api/v1/change-requests/:id/reject": async () => ({
      path: `/api/v1/change-requests/${await proposal({ step: "reject" })}/reject`,
      body: { comment: "not now" },
      authorization: asApprover(),
    }),
    "POST /api/v1/change-requests/:id/break-glass": async () => {
      // Allowing break-glass takes two people; then one admin may use it.
      const allow = await p.api.updateEnvironmentPolicy("prod", { break_glass_allowed: true });
      if (isProposed(allow)) await p.as(approver).approveChangeRequest(allow.change_request.id);
      return {
        path: `/api/v1/change-requests/${await proposal({ step: "break glass" })}/break-glass`,
        body: { reason: "walk" },
      };
    },
    "POST /api/v1/backtests": async () => ({ path: "/api/v1/backtests", body: { config: SEED_BACKTEST } }),
    "POST /api/v1/backtests/:job_id/cancel": async () => ({ path: `/api/v1/backtests/${await job()}/cancel` }),
    "POST /api/v1/backtests/:job_id/rerun": async () => ({ path: `/api/v1/backtests/${await job()}/rerun` }),
    "POST /api/v1/sweeps": async () => {
      await p.api.createParameter({ name: "walk_flag", type: "bool", description: "swept", strategies: ["Walk"] });
      return {
        path: "/api/v1/sweeps",
        body: {
          config: { ...SEED_BACKTEST, strategy: "Walk", task_definition: "tradai-strategy-stochrsi" },
          over: ["walk_flag"],
        },
      };
    },
    "POST /api/v1/backtests/:job_id/progress": async () => {
      const id = await job();
      // What a launcher does when it claims the run: the run's own token, whose hash it keeps.
      const token = `walk-run-token-${id}`;
      const hash = createHash("sha256").update(token).digest("hex");
      await p.db.query(
        "UPDATE runs SET claimed_by = 'walk', claimed_at = now(), run_token_hash = $2 WHERE job_id = $1",
        [id, hash],
      );
      return { path: `/api/v1/backtests/${id}/progress`, body: { progress: 10 }, authorization: `Bearer ${token}` };
    },
    "POST /api/v1/workers/:worker_id/sessions": async () => {
      const values = { step: "first" };
      return {
        path: "/api/v1/workers/walk-worker/sessions",
        body: {
          environment: "dev",
          process: { instance: "walk-1", mode: "paper" },
          applies: [
            {
              strategy: "Walk",
              seq: 1,
              config_version_id: null,
              resolved_hash: contentHash(values),
              values,
              applied_at: new Date().toISOString(),
              boundary: "start",
              latency_ms: null,
            },
          ],
        },
      };
    },
    "POST /api/v1/workers/:worker_id/heartbeat": async () => ({
      path: "/api/v1/workers/walk-worker/heartbeat",
      body: { environment: "dev", applied: [] },
    }),
    "POST /api/v1/workers/:worker_id/retire": async () => {
      await p.http("/api/v1/workers/walk-retired/heartbeat", postJson('{"environment":"dev","applied":[]}'));
      return { path: "/api/v1/workers/walk-retired/retire" };
    },
    "POST /api/v1/imports/:id/undo": async () => {
      const own = await p.api.createConfig({ strategy_name: "WalkUndo", config_data: { a: 0 } });
      await p.api.activate("WalkUndo", own.config_id);
      const applied = await p.api.importLegacyDb({
        strategy: "WalkUndo",
        environment: "dev",
        source: "walk",
        history: [{ values: { a: 2 } }],
        apply: true,
      });
      return { path: `/api/v1/imports/${applied.import_id}/undo` };
    },
    "POST /api/v1/imports/config-versions": async () => {
      const config_data = { a: 3 };
      const hash = contentHash(config_data);
      return {
        path: "/api/v1/imports/config-versions",
        body: {
          environment: "dev",
          source: "walk",
          items: [
            {
              strategy_name: "WalkRegistry",
              config_id: `v1-${hash.slice(0, 8)}`,
              config_hash: hash,
              config_data,
              status: "ACTIVE",
              version_number: 1,
              created_by: "legacy-admin",
            },
          ],
          apply: true,
        },
      };
    },
    // Turned off: no legacy database is needed (turning one on is tested in legacy-mirror.test.ts).
    "PUT /api/v1/legacy-mirrors/:environment": async () => ({
      path: "/api/v1/legacy-mirrors/dev",
      body: { strategy: "WalkMirror", enabled: false },
    }),
    "POST /api/v1/imports/legacy-runs": async () => ({
      path: "/api/v1/imports/legacy-runs",
      body: {
        environment: "dev",
        source: "walk-finetune-runs.json",
        runs: [{ legacy_id: "1", strategy: "Walk", parameters: { a: 1 }, started_at: "2025-01-01T00:00:00Z" }],
        apply: true,
      },
    }),
    "POST /api/v1/rollouts": async () => ({ path: "/api/v1/rollouts", body: await rollout("WalkRollout") }),
    "POST /api/v1/rollouts/:id/pause": async () => ({
      path: `/api/v1/rollouts/${await startedRollout("WalkPause")}/pause`,
    }),
    "POST /api/v1/rollouts/:id/resume": async () => {
      const id = await startedRollout("WalkResume");
      await p.http(`/api/v1/rollouts/${id}/pause`, { method: "POST" });
      return { path: `/api/v1/rollouts/${id}/resume` };
    },
    "POST /api/v1/rollouts/:id/abort": async () => ({
      path: `/api/v1/rollouts/${await startedRollout("WalkAbort")}/abort`,
      body: { reason: "walked" },
    }),
    "POST /api/v1/schedules": async () => ({
      path: "/api/v1/schedules",
      body: {
        kind: "activation",
        strategy: "Walk",
        environment: "dev",
        config_id: await version({ step: "scheduled" }),
        at: hoursFromNow(48),
      },
    }),
    "POST /api/v1/schedules/:id/cancel": async () => {
      const body = {
        kind: "activation",
        strategy: "Walk",
        environment: "dev",
        config_id: await version({ step: "cancelled" }),
        at: hoursFromNow(49),
      };
      const scheduled = await p.http("/api/v1/schedules", postJson(JSON.stringify(body)));
      return { path: `/api/v1/schedules/${scheduled.body.id}/cancel`, body: { reason: "walked" } };
    },
    "POST /api/v1/imports/legacy-db": async () => ({
      path: "/api/v1/imports/legacy-db",
      body: {
        strategy: "WalkLegacy",
        environment: "dev",
        source: "walk",
        history: [{ values: { a: 1 }, author: "legacy-admin", time: "2025-01-01T00:00:00Z", comment: "first" }],
        apply: true,
      },
    }),
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    await p.api.createUser(approver.username, "approver", approver.password);
    await p.api.createUser(editor.username, "editor", editor.password);
    // Walk's versions carry free keys: its catalog policy keeps them (the walk adds parameters for it).
    await p.api.setCatalogPolicy("Walk", "open");
    await p.api.activate("Walk", await version({ step: "first" }));
  });
  afterAll(() => p?.close());

  it("every mutating route has a case here", () => {
    const mutating = p.routes.filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method));
    expect(mutating.length).toBeGreaterThan(25);
    expect(mutating.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in cases))).toEqual([]);
  });

  it("each succeeds, and each change has an audit entry with its request id, written by the kernel", async () => {
    const walked: string[] = [];
    for (const route of p.routes.filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method))) {
      const key = `${route.method} ${route.url}`;
      const request = await (cases[key] as () => Promise<WalkRequest>)();
      const requestId = `walk-${walked.length + 1}`;
      const headers: Record<string, string> = { "x-request-id": requestId };
      headers.authorization = request.authorization ?? ADMIN_AUTHORIZATION;
      if (request.body !== undefined) headers["content-type"] = "application/json";
      const heads = async () =>
        (
          await p.db.query(
            "SELECT (SELECT seq FROM audit_chain_head) AS audit, (SELECT seq FROM config_event_head) AS events",
          )
        ).rows[0];
      const before = await heads();
      const res = await p.http(request.path, {
        method: route.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
      expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      const { rows } = await p.db.query<{ action: string }>("SELECT action FROM audit_entries WHERE request_id = $1", [
        requestId,
      ]);
      if (READS.has(key)) expect(await heads(), `${key} changed something`).toEqual(before);
      if (REPORTS.has(key) || READS.has(key)) expect(rows, key).toEqual([]);
      else expect(rows.length, `${key} left no audit entry: it did not go through the kernel`).toBeGreaterThan(0);
      walked.push(key);
    }
    expect(walked.length).toBe(Object.keys(cases).length);
    // The trail those changes wrote holds together.
    expect(await p.api.verifyAudit()).toMatchObject({ ok: true });
  });
});
