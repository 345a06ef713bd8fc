/** Resolution with provenance: catalog defaults <- environment base <- active version. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe(`resolution with provenance (${backend})`, () => {
  let p: TestPlatform;
  let version: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    // Approval is the subject of governance tests; here prod activates at once.
    await p.approved(p.api.updateEnvironmentPolicy("prod", { requires_approval: false }));
    // Seven parameters: the catalog is at revision 7 once they are in.
    for (const parameter of [
      { name: "stoploss", type: "number", min: -1, max: 0, default: -0.05, description: "Stop loss" },
      { name: "risk.cap", type: "number", min: 0, max: 1, default: 1, description: "Exposure cap" },
      { name: "risk.max_trades", type: "int", min: 1, max: 50, default: 8, description: "Open trades" },
      { name: "account", type: "string", required: true, description: "Trading account" },
      { name: "old_knob", type: "number", default: 3, deprecated: true, reason: "gone", description: "Old" },
      { name: "other_only", type: "bool", default: true, strategies: ["Other"], description: "Not for S" },
      {
        name: "risk.envelope",
        type: "enum",
        allowed: ["ATR0.5_1.5_H4", "ATR1.5_3.0_H5"],
        deprecated_values: { "ATR1.5_3.0_H5": { replacement: "ATR0.5_1.5_H4", reason: "incident #673" } },
        description: "Profit-taking envelope",
      },
    ]) {
      const res = await p.http("/api/v1/catalog", send("POST", parameter));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    version = (
      await p.api.createConfig({
        strategy_name: "S",
        config_data: { stoploss: -0.02, account: "main", timeframe: "1h" },
      })
    ).config_id;
    await p.api.activate("S", version);
  });
  afterAll(() => p.close());

  it("environment base values are versioned per environment", async () => {
    const empty = await p.http("/api/v1/environments/dev/base");
    expect(empty.body).toMatchObject({ environment: "dev", revision: 0, values: {} });
    const set = await p.http(
      "/api/v1/environments/dev/base",
      send("PUT", { values: { risk: { cap: 0.5 }, exchange: "binance_futures" } }),
    );
    expect(set.body).toMatchObject({ revision: 1, values: { risk: { cap: 0.5 } }, created_by: "admin" });
    expect((await p.http("/api/v1/environments/prod/base")).body.revision).toBe(0);
  });

  it("refuses base values a catalog parameter does not accept, naming them; nothing stored", async () => {
    const res = await p.http(
      "/api/v1/environments/dev/base",
      send("PUT", { values: { risk: { cap: 7, envelope: "ATR1.5_3.0_H5" }, old_knob: 1 } }),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "values.old_knob",
      "values.risk.cap",
      "values.risk.envelope",
    ]);
    // The same validator as versions and runs: a deprecated value is refused, naming its replacement.
    expect(res.body.errors.find((e: { field: string }) => e.field === "values.risk.envelope").message).toBe(
      '"ATR1.5_3.0_H5" is a deprecated value of risk.envelope; use "ATR0.5_1.5_H4" instead (incident #673)',
    );
    expect((await p.http("/api/v1/environments/dev/base")).body.revision).toBe(1);
    expect((await p.http("/api/v1/environments/qa/base", send("PUT", { values: {} }))).status).toBe(422);
  });

  it("resolves every value with the layer (and revision or version) it came from", async () => {
    const res = await p.http("/api/v1/resolve/S?environment=dev&explain=true");
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual({
      account: "main",
      exchange: "binance_futures",
      risk: { cap: 0.5, max_trades: 8 },
      stoploss: -0.02,
      timeframe: "1h",
    });
    expect(res.body.provenance).toEqual({
      account: { layer: "config_version", source: version },
      exchange: { layer: "environment_base", source: "dev base revision 1" },
      "risk.cap": { layer: "environment_base", source: "dev base revision 1" },
      "risk.max_trades": { layer: "catalog_default", source: "catalog revision 7" },
      stoploss: { layer: "config_version", source: version },
      timeframe: { layer: "config_version", source: version },
    });
    expect(res.body.resolved_hash).toMatch(/^[0-9a-f]{64}$/);
    const plain = await p.http("/api/v1/resolve/S?environment=dev");
    expect(plain.body).not.toHaveProperty("provenance");
    expect(plain.body.resolved_hash).toBe(res.body.resolved_hash);
    // The plain answer is bytes made once per resolution; the explained one goes through the
    // route's serializer. Both say the same, as JSON.
    const { provenance: _, ...withoutProvenance } = res.body;
    expect(plain.body).toEqual(withoutProvenance);
    expect(plain.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const again = await p.http("/api/v1/resolve/S?environment=dev");
    expect(again.body).toEqual(plain.body);
  });

  it("a run's parameter set records the same layers, and the catalog and base revisions used", async () => {
    const submitted = await p.api.submitBacktest({
      config: {
        strategy: "S",
        config_version_id: "ACTIVE",
        symbols: ["BTC/USDT:USDT"],
        start_date: "2025-01-01",
        end_date: "2025-02-01",
        stake_amount: 1000,
        task_definition: "tradai-strategy-stochrsi",
      },
    });
    const { parameter_set: ps } = await p.api.getParameterSet(submitted.parameter_set_hash);
    expect(ps.values).toMatchObject({
      exchange: "binance_futures",
      risk: { cap: 0.5, max_trades: 8 },
      stoploss: -0.02,
      timeframe: "1h",
      stake_amount: 1000,
    });
    expect(ps.provenance).toMatchObject({
      exchange: "environment_base",
      "risk.cap": "environment_base",
      "risk.max_trades": "catalog_default",
      stoploss: "config_version",
      timeframe: "config_version",
      stake_amount: "request",
      symbols: "request",
    });
    expect(ps).toMatchObject({
      config_version_id: version,
      catalog_revision: 7,
      environment_base: { environment: "dev", revision: 1 },
    });
    expect(submitted.merged_from_config_version).toEqual(["account", "stoploss", "timeframe"]);
  });

  it("no silent fallback: without an active version it is an error, and no change may leave a required value missing", async () => {
    const none = await p.http("/api/v1/resolve/S?environment=staging");
    expect(none.status).toBe(409);
    expect(none.body.detail).toMatch(/no active config version in staging/);
    await p.http(
      "/api/v1/catalog/parameters/account",
      send("PUT", { name: "account", type: "string", description: "Trading account" }),
    );
    const bare = (await p.api.createConfig({ strategy_name: "S", config_data: { stoploss: -0.03 } })).config_id;
    await p.api.activate("S", bare, { environment: "prod" });
    // Making account required again would leave prod's S with nothing to resolve: refused, naming it.
    const required = await p.http(
      "/api/v1/catalog/parameters/account",
      send("PUT", { name: "account", type: "string", required: true, description: "Trading account" }),
    );
    expect(required.status).toBe(409);
    expect(required.body.detail).toMatch(/would leave S in prod \(now v\d+-[0-9a-f]{8}\) with nothing to resolve/);
    expect((await p.http("/api/v1/catalog/parameters/account")).body.parameter.required).toBe(false);
    const resolved = await p.http("/api/v1/resolve/S?environment=prod");
    expect(resolved.status).toBe(200);
    expect(resolved.body.config_version_id).toBe(bare);
  });
});
