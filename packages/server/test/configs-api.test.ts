import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`config versions API (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
    // Approval is the subject of governance tests; here prod activates at once (turning approval
    // off weakens governance, so a second person approves that).
    await p.approved(p.api.updateEnvironmentPolicy("prod", { requires_approval: false }));
  });
  afterAll(() => p.close());

  const create = (strategy: string, data: string, description?: string) =>
    p.http(
      "/api/v1/configs",
      postJson(
        `{"strategy_name":${JSON.stringify(strategy)},"config_data":${data}${description ? `,"description":${JSON.stringify(description)}` : ""}}`,
      ),
    );

  it("creates v1 with the hash of the canonical content (seed step 1)", async () => {
    const res = await create(
      "StochRsiStrategy",
      '{"timeframe":"1h","stoploss":-0.02,"stake_amount":150}',
      "test config",
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      strategy_name: "StochRsiStrategy",
      version_number: 1,
      // sha256('{"stake_amount":150,"stoploss":-0.02,"timeframe":"1h"}'), see core's test vectors
      config_hash: "0aafb37d348c8a7fec17f0d0be993bcf5ccc3989e56345625fe2d2811cc0ec0a",
      config_id: "v1-0aafb37d",
      config_data: { stake_amount: 150, stoploss: -0.02, timeframe: "1h" },
      description: "test config",
      environment: "dev",
      status: "draft",
      deduplicated: false,
      deployed_at: null,
      superseded_by: null,
    });
    expect(Object.keys(res.body.config_data)).toEqual(["stake_amount", "stoploss", "timeframe"]);
  });

  it("returns the existing version for the same content however it is written (dedup)", async () => {
    for (const spelling of [
      '{"stake_amount":150,"stoploss":-0.02,"timeframe":"1h"}',
      '{ "timeframe" : "1h" ,\n "stoploss" : -2e-2, "stake_amount" : 150.0 }',
      '{"timeframe":"\\u0031h","stoploss":-0.020,"stake_amount":1.5E2}',
    ]) {
      const res = await create("StochRsiStrategy", spelling);
      expect(res.status, spelling).toBe(200);
      expect(res.body).toMatchObject({ config_id: "v1-0aafb37d", deduplicated: true });
    }
    const list = await p.http("/api/v1/configs/StochRsiStrategy");
    expect(list.body.total).toBe(1);
  });

  it("the same content under another strategy is another strategy's v1", async () => {
    const res = await create("OtherStrategy", '{"timeframe":"1h","stoploss":-0.02,"stake_amount":150}');
    expect(res.status).toBe(201);
    expect(res.body.config_id).toBe("v1-0aafb37d");
  });

  it("activates, reports status per environment, and lists newest first (seed steps 2-3)", async () => {
    const v2 = await create("StochRsiStrategy", '{"timeframe":"1h","stoploss":-0.03,"stake_amount":150}');
    expect(v2.body.version_number).toBe(2);
    const act = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d/activate", { method: "POST" });
    expect(act.status).toBe(200);
    expect(act.body).toMatchObject({ status: "active", changed: true, previous_config_id: null, environment: "dev" });
    expect(act.body.deployed_at).not.toBeNull();

    const shown = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d");
    expect(shown.body).toMatchObject({ status: "active", config_data: { stoploss: -0.02 } });
    const inProd = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d?environment=prod");
    expect(inProd.body).toMatchObject({ status: "draft", environment: "prod", deployed_at: null });

    const list = await p.http("/api/v1/configs/StochRsiStrategy");
    expect(list.body.items.map((v: { config_id: string; status: string }) => [v.config_id, v.status])).toEqual([
      [v2.body.config_id, "draft"],
      ["v1-0aafb37d", "active"],
    ]);
    const active = await p.http("/api/v1/configs/StochRsiStrategy?status=ACTIVE");
    expect(active.body.items.map((v: { config_id: string }) => v.config_id)).toEqual(["v1-0aafb37d"]);
  });

  it("activating the active version again changes nothing", async () => {
    const before = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d");
    const again = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d/activate", { method: "POST" });
    expect(again.body).toMatchObject({ status: "active", changed: false, deployed_at: before.body.deployed_at });
  });

  it("supersedes the previous version atomically and allows rollback to it", async () => {
    const v2 = (await p.http("/api/v1/configs/StochRsiStrategy?limit=1")).body.items[0].config_id;
    const act = await p.http(`/api/v1/configs/StochRsiStrategy/${v2}/activate`, { method: "POST" });
    expect(act.body).toMatchObject({ status: "active", previous_config_id: "v1-0aafb37d" });
    const old = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d");
    expect(old.body).toMatchObject({ status: "deprecated", superseded_by: v2, explicitly_deprecated: false });
    expect(old.body.deprecated_at).toBe(act.body.deployed_at);

    const rollback = await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d/activate", { method: "POST" });
    expect(rollback.body).toMatchObject({ status: "active", previous_config_id: v2, superseded_by: null });
    const after = await p.http(`/api/v1/configs/StochRsiStrategy/${v2}`);
    expect(after.body).toMatchObject({ status: "deprecated", superseded_by: "v1-0aafb37d" });
  });

  it("keeps environments independent", async () => {
    const v2 = (await p.http("/api/v1/configs/StochRsiStrategy?limit=1")).body.items[0].config_id;
    await p.http(`/api/v1/configs/StochRsiStrategy/${v2}/activate?environment=prod`, { method: "POST" });
    const summary = await p.http("/api/v1/configs");
    expect(summary.body.environments).toEqual(["dev", "staging", "prod"]);
    expect(summary.body.items.find((s: { strategy_name: string }) => s.strategy_name === "StochRsiStrategy")).toEqual({
      strategy_name: "StochRsiStrategy",
      version_count: 2,
      latest_config_id: v2,
      active: { dev: "v1-0aafb37d", staging: null, prod: v2 },
    });
  });

  it("refuses to deprecate a version active in any environment, naming them: nothing would be left to resolve", async () => {
    const v2 = (await p.http("/api/v1/configs/StochRsiStrategy?limit=1")).body.items[0].config_id;
    for (const query of ["", "?environment=prod", "?environment=staging"]) {
      const res = await p.http(`/api/v1/configs/StochRsiStrategy/${v2}/deprecate${query}`, { method: "POST" });
      expect(res.status, query).toBe(409);
      expect(res.body.detail).toMatch(/is active in prod; deprecating it would leave nothing to resolve there/);
    }
    expect((await p.http(`/api/v1/configs/StochRsiStrategy/${v2}?environment=prod`)).body.status).toBe("active");
  });

  it("deprecating a version no environment runs is terminal", async () => {
    const v2 = (await p.http("/api/v1/configs/StochRsiStrategy?limit=1")).body.items[0].config_id;
    // prod moves back to v1 first; then v2 runs nowhere.
    expect(
      (await p.http("/api/v1/configs/StochRsiStrategy/v1-0aafb37d/activate?environment=prod", { method: "POST" }))
        .status,
    ).toBe(200);
    const res = await p.http(
      `/api/v1/configs/StochRsiStrategy/${v2}/deprecate?environment=prod`,
      postJson('{"reason":"bad fills"}'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "deprecated", explicitly_deprecated: true, changed: true });
    const ttlMs = Date.parse(res.body.purge_after) - Date.parse(res.body.deprecated_at);
    expect(Math.round(ttlMs / 86_400_000)).toBe(90);
    const summary = await p.http("/api/v1/configs");
    expect(
      summary.body.items.find((s: { strategy_name: string }) => s.strategy_name === "StochRsiStrategy").active.prod,
    ).toBe("v1-0aafb37d");

    const again = await p.http(`/api/v1/configs/StochRsiStrategy/${v2}/deprecate`, { method: "POST" });
    expect(again.body).toMatchObject({ changed: false, status: "deprecated" });
    const activate = await p.http(`/api/v1/configs/StochRsiStrategy/${v2}/activate?environment=prod`, {
      method: "POST",
    });
    expect(activate.status).toBe(409);
    expect(activate.type).toContain("application/problem+json");
    expect(activate.body.detail).toMatch(/explicitly deprecated/);
  });

  it("creates a new version (next N, same hash) for content equal to an explicitly deprecated one", async () => {
    const res = await create("StochRsiStrategy", '{"timeframe":"1h","stoploss":-0.03,"stake_amount":150}');
    expect(res.status).toBe(201);
    expect(res.body.version_number).toBe(3);
    const old = (await p.http("/api/v1/configs/StochRsiStrategy?status=deprecated&environment=prod")).body.items[0];
    expect(res.body.config_hash).toBe(old.config_hash);
    expect(res.body.config_id).toBe(`v3-${old.config_hash.slice(0, 8)}`);
    expect(old.status).toBe("deprecated");
  });

  it("paginates", async () => {
    for (let i = 0; i < 5; i++) await create("Paged", `{"i":${i}}`);
    const first = await p.http("/api/v1/configs/Paged?limit=2");
    expect(first.body).toMatchObject({ total: 5, limit: 2, offset: 0, next_offset: 2 });
    expect(first.body.items.map((v: { version_number: number }) => v.version_number)).toEqual([5, 4]);
    const last = await p.http("/api/v1/configs/Paged?limit=2&offset=4");
    expect(last.body).toMatchObject({ total: 5, next_offset: null });
    expect(last.body.items.map((v: { version_number: number }) => v.version_number)).toEqual([1]);
    const past = await p.http("/api/v1/configs/Paged?limit=2&offset=10");
    expect(past.body).toMatchObject({ total: 5, items: [], next_offset: null });
  });
});
