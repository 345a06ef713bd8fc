/** The audit trail: one entry per change in the same transaction, hash-chained, append-only, verifiable, restorable. */
import type { ApiProblemError } from "@tradai/client";
import { AUDIT_GENESIS_HASH, auditEntryHash, type JsonValue } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { eventually, postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import type { Queryable } from "../src/db/database.js";
import { verifyChainFrom } from "../src/features/audit/verify.js";

describe(`audit trail (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p?.close());

  const total = async () => (await p.api.listAudit({ limit: 1 })).total;

  it("records each change with its actor, request id, client address, before/after, linked to the previous entry", async () => {
    const alice = p.as(await p.user("alice", "editor"));
    const before = await total();
    const created = await p.http("/api/v1/configs", {
      ...postJson(JSON.stringify({ strategy_name: "Au", config_data: { stoploss: -0.05 } })),
      headers: { "content-type": "application/json", "x-request-id": "req-audit-1" },
    });
    expect(created.status).toBe(201);
    await alice.activate("Au", created.body.config_id);
    await p.api.deprecateConfig(
      "Au",
      (await p.api.createConfig({ strategy_name: "Au", config_data: { stoploss: -0.01 } })).config_id,
      {
        reason: "too tight",
      },
    );
    await p.api.putEnvironmentBase("dev", { risk: { cap: 1 } });
    const { token } = await p.api.createToken({ name: "ci", roles: ["editor"] });
    await p.api.updateEnvironmentPolicy("staging", { approvals_required: 2 });

    const { items } = await p.api.listAudit({ limit: 20 });
    const newest = items.slice(0, (await total()) - before).reverse();
    expect(newest.map((e) => `${e.actor} ${e.action} ${e.target_type}`)).toEqual([
      "admin config.create config_version",
      "alice config.activate config_version",
      "admin config.create config_version",
      "admin config.deprecate config_version",
      "admin environment.set_base environment_base",
      "admin token.create token",
      "admin environment.update_policy environment",
    ]);
    const [create, activate] = newest;
    expect(create).toMatchObject({
      request_id: "req-audit-1",
      client_address: "127.0.0.1",
      target_id: `Au/${created.body.config_id}`,
      after: { config_data: { stoploss: -0.05 }, config_hash: created.body.config_hash },
    });
    expect(activate).toMatchObject({
      environment: "dev",
      before: { active_config_id: null },
      after: { active_config_id: created.body.config_id },
    });
    // The token's secret is never in the trail (only its first characters, to tell tokens apart).
    expect(JSON.stringify(newest)).not.toContain(token);
    expect(newest[5]?.after).toMatchObject({ name: "ci", prefix: token.slice(0, 10) });
    expect(newest.at(-1)).toMatchObject({
      before: { approvals_required: 1 },
      after: { approvals_required: 2 },
    });
    for (const [i, entry] of newest.entries()) {
      if (i > 0) expect(entry.prev_hash).toBe(newest[i - 1]?.hash);
      expect(entry.hash).toBe(
        auditEntryHash({
          ...entry,
          before: entry.before as JsonValue,
          after: entry.after as JsonValue,
          details: entry.details as JsonValue,
        }),
      );
    }
    const missing = await p.http("/api/v1/audit/999999");
    expect(missing.status).toBe(404);
    expect(missing.type).toContain("application/problem+json");
    expect(missing.body).toMatchObject({ status: 404, detail: "no audit entry 999999" });
    expect((await p.http("/api/v1/audit/0")).status).toBe(422);
    const first = await p.api.getAuditEntry(1);
    expect(first).toMatchObject({
      seq: 1,
      prev_hash: AUDIT_GENESIS_HASH,
      action: "user.create",
      target_id: "admin",
      actor: "system",
    });
  });

  it("filters by actor, action, target and time, and pages", async () => {
    const byAlice = await p.api.listAudit({ actor: "alice" });
    expect(byAlice.items.every((e) => e.actor === "alice")).toBe(true);
    expect(byAlice.total).toBe(1);
    const creates = await p.api.listAudit({ action: "config.create", limit: 1 });
    expect(creates).toMatchObject({ total: 2, next_offset: 1 });
    const page2 = await p.api.listAudit({ action: "config.create", limit: 1, offset: 1 });
    expect(page2.next_offset).toBeNull();
    expect(page2.items[0]?.seq).toBeLessThan(creates.items[0]?.seq ?? 0);
    expect((await p.api.listAudit({ since: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);
    const bad = await p.http("/api/v1/audit?since=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe("since");
  });

  it("leaves no entry for refused input", async () => {
    const before = await total();
    expect(
      (await p.http("/api/v1/configs", postJson('{"strategy_name":"Au","config_data":{"a":1,"a":2}}'))).status,
    ).toBe(422);
    expect((await p.http("/api/v1/configs", postJson('{"strategy_name":"1bad","config_data":{}}'))).status).toBe(422);
    expect((await p.http("/api/v1/configs/Au/v9-00000000/activate", { method: "POST" })).status).toBe(404);
    expect(
      (await p.http("/api/v1/users", postJson('{"username":"x","role":"god","password":"long-enough-pw"}'))).status,
    ).toBe(422);
    expect(await total()).toBe(before);
  });

  it("restores a version's content from its audit entry through the normal activation path", async () => {
    const v1 = (await p.api.createConfig({ strategy_name: "Rs", config_data: { k: 1 } })).config_id;
    const v2 = (await p.api.createConfig({ strategy_name: "Rs", config_data: { k: 2 } })).config_id;
    await p.api.activate("Rs", v2);
    const entry = (await p.api.listAudit({ action: "config.create", target_id: `Rs/${v1}` })).items[0];
    if (!entry) throw new Error("no config.create entry for v1");
    // Still live: the same version becomes active again.
    expect(await p.api.restoreFromAudit(entry.seq)).toMatchObject({
      config_id: v1,
      status: "active",
      previous_config_id: v2,
    });
    // Explicitly deprecated: a new version with the same content.
    await p.api.activate("Rs", v2);
    await p.api.deprecateConfig("Rs", v1, { reason: "superseded" });
    const restored = await p.api.restoreFromAudit(entry.seq, { expectedActive: v2 });
    if ("change_request" in restored) throw new Error("dev needs no approval");
    expect(restored).toMatchObject({ config_data: { k: 1 }, status: "active", version_number: 3 });
    expect(restored.description).toBe(`restored from audit entry ${entry.seq}`);
    // Into prod it is a change request, like any activation there.
    const toProd = await p.api.restoreFromAudit(entry.seq, { environment: "prod" });
    expect(toProd).toMatchObject({
      change_request: { status: "pending", config_id: restored.config_id, environment: "prod" },
    });
    expect(
      await p.api.restoreFromAudit(entry.seq, { environment: "qa" }).catch((e: ApiProblemError) => e.problem),
    ).toMatchObject({
      status: 422,
      errors: [{ field: "environment", location: "body" }],
    });
    // Only config.create entries hold content.
    const other = (await p.api.listAudit({ action: "config.activate", limit: 1 })).items[0];
    const refused = await p.api.restoreFromAudit(other?.seq ?? 0).catch((e: ApiProblemError) => e.problem);
    expect(refused).toMatchObject({ status: 422, errors: [{ field: "seq" }] });
  });

  it("the tamper alarm checks new entries as they come; anchors are checked against the chain", async () => {
    const head = await total();
    const status = await eventually(async () => {
      const s = await p.api.auditStatus();
      return s.head_seq === head ? s : undefined;
    }, "the new entries checked");
    expect(status).toMatchObject({ ok: true, first_broken: null, anchor: null });
    expect(status.last_full_check_at).not.toBeNull();

    const first = await p.api.getAuditEntry(1);
    expect(await p.api.checkAuditAnchors([{ seq: 1, hash: first.hash }])).toEqual({ ok: true, checked: 1, broken: [] });
    const other = "f".repeat(64);
    expect(
      await p.api.checkAuditAnchors([
        { seq: 1, hash: other },
        { seq: head + 1000, hash: other },
      ]),
    ).toEqual({
      ok: false,
      checked: 2,
      broken: [
        {
          seq: 1,
          anchored_hash: other,
          chain_hash: first.hash,
          problem: "entry 1 has another hash than when it was anchored (rewritten)",
        },
        {
          seq: head + 1000,
          anchored_hash: other,
          chain_hash: null,
          problem: `entry ${head + 1000} is missing from the chain`,
        },
      ],
    });
    const refused = await p.http(
      "/api/v1/audit/anchors/check",
      postJson(JSON.stringify({ anchors: [{ seq: 1, hash: "abc" }] })),
    );
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("anchors[0].hash");
  });

  it("an entry committed while a check runs is not taken for tampering (the check stops at the head it read)", async () => {
    // A real write lands between the check's read of the head and its read of the entries, as a
    // change committed by another request does (on start-up with demo data, this raised a false alarm).
    let interleaved = false;
    const racing = {
      exec: (sql: string) => p.db.exec(sql),
      query: async (text: string, params?: readonly unknown[]) => {
        const result = await p.db.query(text, params);
        if (!interleaved && text.includes("FROM audit_chain_head")) {
          interleaved = true;
          await p.api.createConfig({ strategy_name: "AuditRace", config_data: { n: Date.now() } });
        }
        return result;
      },
    } as Queryable;
    const before = await total();
    const checked = await verifyChainFrom(racing);
    expect(interleaved).toBe(true);
    expect(checked).toMatchObject({ ok: true, first_broken: null, head_seq: before });
    expect(await total()).toBe(before + 1);
    expect((await verifyChainFrom(p.db)).head_seq).toBe(before + 1); // the next check takes it
  });

  it("the database refuses to change, delete, truncate or fork the trail", async () => {
    const head = await total();
    await expect(p.db.query("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(p.db.query("DELETE FROM audit_entries WHERE seq = $1", [head])).rejects.toThrow(/append-only/);
    await expect(p.db.query("TRUNCATE audit_entries")).rejects.toThrow(/append-only/);
    await expect(
      p.db.query(
        `INSERT INTO audit_entries (seq, at, actor, action, target_type, target_id, prev_hash, hash)
         VALUES ($1, now(), 'mallory', 'x', 'x', 'x', repeat('0', 64), repeat('1', 64))`,
        [head + 1],
      ),
    ).rejects.toThrow(/does not extend the chain/);
    expect(await total()).toBe(head);
    expect(await p.api.verifyAudit()).toEqual({ ok: true, entries_checked: head, head_seq: head, first_broken: null });
  });

  it("verify finds a row altered by direct SQL as superuser, and a deleted one", async () => {
    const target = (await p.api.listAudit({ actor: "alice" })).items[0]?.seq ?? 0;
    await p.db.exec("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_guard");
    await p.db.query("UPDATE audit_entries SET actor = 'admin' WHERE seq = $1", [target]);
    const altered = await p.api.verifyAudit();
    expect(altered).toMatchObject({
      ok: false,
      first_broken: { seq: target, problem: expect.stringContaining("altered") },
    });
    expect(altered.entries_checked).toBe(target - 1);
    // Recomputing the hash does not help: the next entry's link no longer matches.
    const row = await p.api.getAuditEntry(target);
    const rehashed = auditEntryHash({
      ...row,
      before: row.before as JsonValue,
      after: row.after as JsonValue,
      details: row.details as JsonValue,
    });
    await p.db.query("UPDATE audit_entries SET hash = $2 WHERE seq = $1", [target, rehashed]);
    expect((await p.api.verifyAudit()).first_broken).toEqual({
      seq: target + 1,
      problem: "its prev_hash is not the hash of the entry before it",
    });
    await p.db.query("DELETE FROM audit_entries WHERE seq = 2");
    expect((await p.api.verifyAudit()).first_broken).toEqual({ seq: 2, problem: "entry 2 is missing" });
    await p.db.exec("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_guard");
  });
});
