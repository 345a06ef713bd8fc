/** Catalog checks at activation (required; immutable only once served) and the variants grid. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe(`catalog at activation, and variants (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
    // Approval is the subject of governance tests; here prod activates at once.
    await p.approved(p.api.updateEnvironmentPolicy("prod", { requires_approval: false }));
    for (const parameter of [
      { name: "exchange_account", type: "string", required: true, description: "Account the strategy trades" },
      {
        name: "fee_tier",
        type: "enum",
        allowed: ["vip0", "vip1"],
        default: "vip0",
        required: true,
        description: "Fee tier",
      },
      { name: "base_currency", type: "string", immutable: true, description: "Settlement currency, fixed once live" },
      { name: "rsi_period", type: "int", min: 2, max: 50, variants: [7, 14, 21], description: "RSI window" },
      { name: "oversold", type: "number", min: 0, max: 50, variants: [20, 30], description: "Oversold level" },
    ]) {
      expect((await p.http("/api/v1/catalog", send("POST", parameter))).status).toBe(201);
    }
  });
  afterAll(() => p.close());

  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: "S", config_data: data })).config_id;
  const activate = (id: string, environment = "dev") =>
    p.http(`/api/v1/configs/S/${id}/activate?environment=${environment}`, { method: "POST" });

  it("refuses to activate a version when a required parameter resolves to no value, naming it", async () => {
    const id = await version({ base_currency: "USDT" });
    const res = await activate(id);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/required parameters without a value.*exchange_account/);
    expect(res.body.detail).not.toMatch(/fee_tier/); // it has a default
    expect((await p.api.showConfig("S", id)).status).toBe("draft");
  });

  it("activates when every required parameter has a value or a default", async () => {
    const id = await version({ exchange_account: "main", base_currency: "USDT" });
    expect((await activate(id)).status).toBe(200);
    expect((await activate(id, "prod")).status).toBe(200);
  });

  it("an immutable parameter not yet served may still change, in prod too (served values: immutable-values.test.ts)", async () => {
    const changed = await version({ exchange_account: "main", base_currency: "USDC" });
    expect((await activate(changed, "staging")).status).toBe(200);
    expect((await activate(changed, "prod")).status).toBe(200);
    expect((await p.api.resolve("S", { environment: "prod" })).values.base_currency).toBe("USDC");
  });

  it("returns the cartesian grid of variants", async () => {
    const grid = await p.http("/api/v1/catalog/grid?parameters=rsi_period,oversold");
    expect(grid.status).toBe(200);
    expect(grid.body).toMatchObject({ parameters: ["rsi_period", "oversold"], size: 6 });
    expect(grid.body.combinations).toEqual([
      { rsi_period: 7, oversold: 20 },
      { rsi_period: 7, oversold: 30 },
      { rsi_period: 14, oversold: 20 },
      { rsi_period: 14, oversold: 30 },
      { rsi_period: 21, oversold: 20 },
      { rsi_period: 21, oversold: 30 },
    ]);
  });

  it("editing variants changes the next grid without a release", async () => {
    await p.http(
      "/api/v1/catalog/parameters/oversold",
      send("PUT", { name: "oversold", type: "number", min: 0, max: 50, variants: [25], description: "Oversold level" }),
    );
    const grid = await p.http("/api/v1/catalog/grid?parameters=rsi_period,oversold");
    expect(grid.body.size).toBe(3);
  });

  it("refuses a grid over unknown parameters or ones without values to sweep, naming them", async () => {
    const unknown = await p.http("/api/v1/catalog/grid?parameters=rsi_period,nope");
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/no parameter nope/);
    // An enum's grid is its allowed values; a free string has none.
    expect((await p.http("/api/v1/catalog/grid?parameters=fee_tier")).body).toMatchObject({
      size: 2,
      combinations: [{ fee_tier: "vip0" }, { fee_tier: "vip1" }],
    });
    const none = await p.http("/api/v1/catalog/grid?parameters=base_currency");
    expect(none.status).toBe(422);
    expect(none.body.detail).toMatch(/base_currency has no values to sweep/);
    expect((await p.http("/api/v1/catalog/grid")).status).toBe(422);
  });
});
