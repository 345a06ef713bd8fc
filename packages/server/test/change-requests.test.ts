/**
 * Four eyes: activations into environments that require approval, or touching critical
 * parameters, become change requests; the author cannot approve; approval applies exactly the
 * proposed content onto exactly the version it was proposed against; promotion; If-Match.
 */
import type { ApiClient } from "@tradai/client";
import { type ChangeRequest, problemTypes } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { refusal, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { startWebhookSink, type WebhookSink } from "../../../test-support/webhook-sink.js";

const proposed = (outcome: unknown): ChangeRequest => {
  const o = outcome as { change_request?: ChangeRequest };
  if (!o.change_request) throw new Error(`expected a change request, got ${JSON.stringify(outcome)}`);
  return o.change_request;
};

describe(`change requests (${backend})`, () => {
  let p: TestPlatform;
  let sink: WebhookSink;
  let alice: ApiClient; // editor
  let bob: ApiClient; // approver
  let carol: ApiClient; // approver
  const version = async (strategy: string, data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: strategy, config_data: data })).config_id;
  const activeIn = async (strategy: string, environment: string) =>
    (await p.api.listConfigs(strategy, { environment, status: "active" })).items[0]?.config_id ?? null;

  beforeAll(async () => {
    sink = await startWebhookSink();
    p = await startTestPlatform({ TRADAI_ALERT_WEBHOOK_URL: sink.url });
    alice = p.as(await p.user("alice", "editor"));
    bob = p.as(await p.user("bob", "approver"));
    carol = p.as(await p.user("carol", "approver"));
  });
  afterAll(async () => {
    await p?.close();
    await sink?.close();
  });

  it("prod needs approval: the author cannot approve, another approver applies it atomically", async () => {
    const v1 = await version("Fx", { stake: 1 });
    const cr = proposed(await alice.activate("Fx", v1, { environment: "prod" }));
    expect(cr).toMatchObject({
      status: "pending",
      author: "alice",
      environment: "prod",
      config_id: v1,
      base_config_id: null,
      reasons: ["prod requires approval"],
      approvals: 0,
      approvals_required: 1,
      diff: { added: { stake: 1 } },
    });
    expect(await activeIn("Fx", "prod")).toBeNull();
    // Proposing the same again gives the same request.
    const again = await alice.activate("Fx", v1, { environment: "prod" });
    expect(again).toMatchObject({ created: false, change_request: { id: cr.id } });

    expect((await refusal(alice.approveChangeRequest(cr.id))).status).toBe(403); // editors do not review
    const bobsOwn = proposed(
      await bob
        .activate("Fx", v1, { environment: "staging" })
        .then(() => bob.activate("Fx", v1, { environment: "prod" })),
    );
    expect(bobsOwn.id).toBe(cr.id); // one pending request per content
    const own = proposed(await bob.activate("Fx", await version("Fx", { stake: 9 }), { environment: "prod" }));
    const selfApproval = await refusal(bob.approveChangeRequest(own.id));
    expect(selfApproval).toMatchObject({ status: 403, type: problemTypes.forbidden });
    expect(selfApproval.detail).toBe(`bob proposed change request ${own.id} and cannot approve it`);
    // The database refuses it too, whatever the code does.
    await expect(
      p.db.query(
        "INSERT INTO change_request_reviews (change_request_id, reviewer, decision) VALUES ($1, 'bob', 'approve')",
        [own.id],
      ),
    ).rejects.toThrow(/cannot review/);

    const applied = await bob.approveChangeRequest(cr.id, { comment: "looks right" });
    expect(applied).toMatchObject({ status: "applied", approvals: 1, closed_by: "bob" });
    expect(applied.reviews).toEqual([
      expect.objectContaining({ reviewer: "bob", decision: "approve", comment: "looks right" }),
    ]);
    expect(await activeIn("Fx", "prod")).toBe(v1);
    const { rows } = await p.db.query<{ activated_by: string; change_request_id: string }>(
      "SELECT activated_by, change_request_id FROM activations WHERE strategy_name = 'Fx' AND environment = 'prod'",
    );
    expect(rows).toEqual([{ activated_by: "bob", change_request_id: expect.anything() }]);
    expect(Number(rows[0]?.change_request_id)).toBe(cr.id);
    // Closed is closed.
    expect((await refusal(carol.approveChangeRequest(cr.id))).status).toBe(409);
  });

  it("an approval whose base changed meanwhile is stale (409) and the request is closed as such", async () => {
    const [v1, v2, v3] = [await version("St", { a: 1 }), await version("St", { a: 2 }), await version("St", { a: 3 })];
    await p.api.updateEnvironmentPolicy("staging", { requires_approval: true });
    try {
      const first = proposed(await alice.activate("St", v1, { environment: "staging" }));
      await bob.approveChangeRequest(first.id);
      const toV2 = proposed(await alice.activate("St", v2, { environment: "staging" }));
      const toV3 = proposed(await alice.activate("St", v3, { environment: "staging" }));
      expect(toV2.base_config_id).toBe(v1);
      await bob.approveChangeRequest(toV3.id); // v3 now active: the v2 request was based on v1
      const stale = await refusal(carol.approveChangeRequest(toV2.id));
      expect(stale).toMatchObject({ status: 409, type: problemTypes.stale });
      expect(stale.detail).toContain(`staging now runs ${v3}, not ${v1}`);
      expect((await p.api.getChangeRequest(toV2.id)).status).toBe("stale");
      expect(await activeIn("St", "staging")).toBe(v3);
      // A rejection needs a comment and closes the request at once.
      const toV1 = proposed(await alice.activate("St", v1, { environment: "staging" }));
      const rejected = await carol.rejectChangeRequest(toV1.id, "not before the release");
      expect(rejected).toMatchObject({ status: "rejected", closed_by: "carol" });
      expect((await refusal(bob.approveChangeRequest(toV1.id))).status).toBe(409);
    } finally {
      await p.approved(p.api.updateEnvironmentPolicy("staging", { requires_approval: false }));
    }
  });

  it("a change to a critical parameter needs approval even where the environment does not", async () => {
    await p.api.createParameter({
      name: "guard.max_loss",
      type: "number",
      description: "Daily loss cap",
      criticality: "critical",
    });
    const [calm, risky] = [
      await version("Cr", { guard: { max_loss: 100 }, note: "a" }),
      await version("Cr", { guard: { max_loss: 100 }, note: "b" }),
    ];
    expect(await p.activateApproved("Cr", calm, "dev")).toBe("applied"); // first value: approved
    // Only a non-critical value changes: applied at once.
    expect(await alice.activate("Cr", risky, { environment: "dev" })).toMatchObject({
      status: "active",
      changed: true,
    });
    const higher = await version("Cr", { guard: { max_loss: 500 }, note: "b" });
    const cr = proposed(await alice.activate("Cr", higher, { environment: "dev" }));
    expect(cr.reasons).toEqual(["critical parameters change in dev (Cr): guard.max_loss"]);
    expect(cr.diff.changed).toEqual({ "guard.max_loss": { old: 100, new: 500 } });
  });

  it("checks the catalog again when applying: content the catalog now refuses is not applied", async () => {
    const v = await version("Cc", { c: 1 });
    const cr = proposed(await alice.activate("Cc", v, { environment: "prod" }));
    // After the proposal, the catalog starts requiring a value this version does not have.
    await p.api.createParameter({
      name: "cc_account",
      type: "string",
      description: "Account",
      required: true,
      strategies: ["Cc"],
    });
    const refused = await refusal(bob.approveChangeRequest(cr.id));
    expect(refused).toMatchObject({ status: 409 });
    expect(refused.detail).toContain("cc_account");
    // Nothing of the approval stayed behind.
    expect(await p.api.getChangeRequest(cr.id)).toMatchObject({ status: "pending", approvals: 0, reviews: [] });
    expect(await activeIn("Cc", "prod")).toBeNull();
  });

  it("requires the approvals the environment asks for, from different people", async () => {
    await p.api.updateEnvironmentPolicy("prod", { approvals_required: 2 });
    try {
      const v = await version("Two", { x: 1 });
      const cr = proposed(await alice.activate("Two", v, { environment: "prod" }));
      expect((await bob.approveChangeRequest(cr.id)).status).toBe("pending");
      expect((await refusal(bob.approveChangeRequest(cr.id))).status).toBe(409); // not twice
      expect(await activeIn("Two", "prod")).toBeNull();
      expect((await carol.approveChangeRequest(cr.id)).status).toBe("applied");
      expect(await activeIn("Two", "prod")).toBe(v);
    } finally {
      await p.approved(p.api.updateEnvironmentPolicy("prod", { approvals_required: 1 }));
    }
  });

  it("promotes only the version active in the policy's source environment", async () => {
    const [v1, v2] = [await version("Pr", { p: 1 }), await version("Pr", { p: 2 })];
    await alice.activate("Pr", v1, { environment: "dev" });
    // staging is promoted from dev; prod from staging.
    const notActive = await refusal(alice.promote("Pr", v2, { from: "dev", to: "staging" }));
    expect(notActive).toMatchObject({ status: 409 });
    expect(notActive.detail).toContain(`only the version active in dev can be promoted; active there: ${v1}`);
    const wrongSource = await refusal(alice.promote("Pr", v1, { from: "dev", to: "prod" }));
    expect(wrongSource.detail).toBe("prod is promoted to only from staging, not from dev");
    expect((await refusal(alice.promote("Pr", v1, { from: "staging", to: "dev" }))).detail).toContain(
      "nothing is promoted to dev",
    );
    // Unknown environments are named by the body field that gave them.
    expect(await refusal(alice.promote("Pr", v1, { from: "qa", to: "staging" }))).toMatchObject({
      status: 422,
      errors: [{ field: "from", location: "body" }],
    });
    expect(await refusal(alice.promote("Pr", v1, { from: "dev", to: "uat" }))).toMatchObject({
      status: 422,
      errors: [{ field: "to", location: "body" }],
    });
    expect(await alice.promote("Pr", v1, { from: "dev", to: "staging" })).toMatchObject({ status: "active" });
    const cr = proposed(await alice.promote("Pr", v1, { from: "staging", to: "prod" }));
    expect(cr).toMatchObject({ kind: "promotion", from_environment: "staging" });
    expect((await bob.approveChangeRequest(cr.id)).status).toBe("applied");
    expect(await activeIn("Pr", "prod")).toBe(v1);
    const audit = await p.api.listAudit({ action: "config.promote", target_id: `Pr/${v1}` });
    expect(audit.items.map((e) => e.environment).sort()).toEqual(["prod", "staging"]);
  });

  it("If-Match / expected_active: a mismatch is 412 and nothing changes", async () => {
    const [v1, v2] = [await version("Im", { i: 1 }), await version("Im", { i: 2 })];
    expect(await alice.activate("Im", v1, { expectedActive: null })).toMatchObject({ status: "active" });
    const mismatch = await refusal(alice.activate("Im", v2, { expectedActive: null }));
    expect(mismatch).toMatchObject({ status: 412, type: problemTypes.preconditionFailed });
    expect(mismatch.detail).toContain(`expected no version to be active in dev, but ${v1} is`);
    const header = await p.http(`/api/v1/configs/Im/${v2}/activate`, {
      method: "POST",
      headers: { "if-match": '"v9-00000000"' },
    });
    expect(header.status).toBe(412);
    expect(await activeIn("Im", "dev")).toBe(v1);
    const ok = await p.http(`/api/v1/configs/Im/${v2}/activate`, {
      method: "POST",
      headers: { "if-match": `"${v1}"` },
    });
    expect(ok.status).toBe(200);
    expect(await activeIn("Im", "dev")).toBe(v2);
    const contradiction = await p.http(`/api/v1/configs/Im/${v1}/activate`, {
      method: "POST",
      headers: { "if-match": `"${v2}"`, "content-type": "application/json" },
      body: JSON.stringify({ expected_active: v1 }),
    });
    expect(contradiction.status).toBe(422);
    expect(contradiction.body.errors[0].field).toBe("if-match");
  });

  it("break-glass: an admin applies a pending request without approval where the policy allows, audited and announced", async () => {
    const v = await version("Bg", { b: 1 });
    const cr = proposed(await alice.activate("Bg", v, { environment: "prod" }));
    const notAllowed = await refusal(p.api.breakGlass(cr.id, "exchange outage"));
    expect(notAllowed).toMatchObject({ status: 403 });
    expect(notAllowed.detail).toContain("does not allow break-glass");
    expect((await refusal(bob.breakGlass(cr.id, "exchange outage"))).status).toBe(403); // admins only
    // Allowing break-glass weakens governance: one admin proposes it, another person approves.
    const allow = proposed(await p.api.updateEnvironmentPolicy("prod", { break_glass_allowed: true }));
    expect(allow).toMatchObject({ kind: "environment_policy", environment: "prod" });
    expect(allow.reasons).toEqual(["weakens governance: policy prod allows break-glass"]);
    expect((await p.api.getEnvironment("prod")).break_glass_allowed).toBe(false);
    expect((await bob.approveChangeRequest(allow.id)).status).toBe("applied");
    try {
      const applied = await p.api.breakGlass(cr.id, "exchange outage: roll forward now");
      expect(applied).toMatchObject({
        status: "applied",
        break_glass_reason: "exchange outage: roll forward now",
        approvals: 0,
      });
      expect(await activeIn("Bg", "prod")).toBe(v);
      const entries = await p.api.listAudit({ action: "change_request.break_glass", target_id: String(cr.id) });
      expect(entries.items[0]).toMatchObject({
        actor: "admin",
        details: { reason: "exchange outage: roll forward now" },
      });
      expect(sink.received).toContainEqual(
        expect.objectContaining({ kind: "break_glass", change_request_id: cr.id, environment: "prod", actor: "admin" }),
      );
    } finally {
      await p.api.updateEnvironmentPolicy("prod", { break_glass_allowed: false });
    }
  });

  it("an expired request cannot be approved", async () => {
    const v = await version("Ex", { e: 1 });
    const cr = proposed(await alice.activate("Ex", v, { environment: "prod" }));
    // Let its time run out (as a superuser would have to: the trigger keeps expires_at fixed).
    await p.db.exec("ALTER TABLE change_requests DISABLE TRIGGER change_requests_guard");
    await p.db.query("UPDATE change_requests SET expires_at = now() - interval '1 second' WHERE id = $1", [cr.id]);
    await p.db.exec("ALTER TABLE change_requests ENABLE TRIGGER change_requests_guard");
    expect((await p.api.getChangeRequest(cr.id)).status).toBe("expired");
    const refused = await refusal(bob.approveChangeRequest(cr.id));
    expect(refused).toMatchObject({ status: 409 });
    expect(refused.detail).toContain("has expired");
    expect(await activeIn("Ex", "prod")).toBeNull();
    expect((await p.api.listChangeRequests({ status: "expired" })).items.map((c) => c.id)).toContain(cr.id);
  });
});
