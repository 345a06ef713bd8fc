/**
 * The Freqtrade catalog preset: loaded on the first start of an empty database (the product's
 * default), never again, not at all with TRADAI_CATALOG_PRESET=none; it refuses what Freqtrade's own
 * schema refuses, naming the key, and adds no key to a strategy's resolved config.
 */
import { FREQTRADE_PRESET } from "@tradai/core";
import { loadSettings, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const FREQTRADE_CONFIG = {
  timeframe: "5m",
  stoploss: -0.1,
  minimal_roi: { "0": 0.04, "30": 0.02, "60": 0 },
  stake_amount: 100,
  max_open_trades: 3,
  trailing_stop: false,
  order_types: { entry: "limit", exit: "limit", stoploss: "market", stoploss_on_exchange: false },
  order_time_in_force: { entry: "GTC", exit: "GTC" },
  unfilledtimeout: { entry: 10, exit: 30, unit: "minutes" },
};

describe(`the Freqtrade catalog preset (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    // What a fresh install does (the test harness turns the preset off elsewhere).
    p = await startTestPlatform({ TRADAI_CATALOG_PRESET: "freqtrade" });
  });
  afterAll(() => p.close());

  const strategies = async () => (await p.http("/api/v1/configs")).body.items.length;

  it("is loaded on first start: every parameter for every strategy, none with a default, each audited", async () => {
    const { body } = await p.http("/api/v1/catalog");
    const names = body.items.map((i: { parameter: { name: string } }) => i.parameter.name);
    expect(names.sort()).toEqual(FREQTRADE_PRESET.map((q) => q.name).sort());
    for (const { parameter } of body.items) {
      expect(parameter.strategies, parameter.name).toEqual([]);
      expect(parameter.default, parameter.name).toBeUndefined();
    }
    const critical = body.items.filter(
      (i: { parameter: { criticality: string } }) => i.parameter.criticality === "critical",
    );
    expect(critical.map((i: { parameter: { name: string } }) => i.parameter.name)).toEqual(
      expect.arrayContaining(["stoploss", "stake_amount", "max_open_trades", "dry_run"]),
    );
    const audit = await p.http("/api/v1/audit?action=catalog.change&limit=200");
    const byPreset = audit.body.items.filter((e: { actor: string }) => e.actor === "catalog-preset");
    expect(byPreset).toHaveLength(FREQTRADE_PRESET.length);
  });

  it("refuses a string stoploss with a 422 that names the key, and stores nothing", async () => {
    const before = await strategies();
    const refused = await p.http("/api/v1/configs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ strategy_name: "MeanReversionDemo", config_data: { stoploss: "x" } }),
    });
    expect(refused.status).toBe(422);
    expect(refused.type).toContain("application/problem+json");
    expect(refused.body.errors).toEqual([
      { field: "config_data.stoploss", location: "body", message: "must be a number" },
    ]);
    expect(await strategies()).toBe(before);
  });

  it("checks what Freqtrade's schema checks: ROI tables, signs, enums, nested order settings", async () => {
    const refusal = async (config_data: Record<string, unknown>) => {
      const answer = await p.http("/api/v1/configs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ strategy_name: "MeanReversionDemo", config_data }),
      });
      expect(answer.status, JSON.stringify(config_data)).toBe(422);
      return answer.body.errors.map((e: { field: string; message: string }) => `${e.field}: ${e.message}`);
    };
    expect(await refusal({ stoploss: 0.05 })).toEqual(["config_data.stoploss: must be at most -0.0001"]);
    expect(await refusal({ minimal_roi: { "0": "4%" } })).toEqual(["config_data.minimal_roi.0: must be a number"]);
    expect(await refusal({ minimal_roi: { ten: 0.1 } })).toEqual([
      "config_data.minimal_roi.ten: keys must be non-negative numbers such as 0, 30, 1.5",
    ]);
    expect(await refusal({ minimal_roi: [0.04] })).toEqual([
      'config_data.minimal_roi: must be an object of numbers, e.g. {"0": 0.04, "30": 0.02}',
    ]);
    expect(await refusal({ timeframe: "7m" })).toEqual([
      expect.stringMatching(/^config_data\.timeframe: must be one of "1m"/),
    ]);
    expect(await refusal({ stake_amount: "unlimited" })).toEqual(["config_data.stake_amount: must be a number"]);
    expect(await refusal({ order_types: { entry: "stop" } })).toEqual([
      'config_data.order_types.entry: must be one of "limit", "market"',
    ]);
    expect(await strategies()).toBe(0);
  });

  it("accepts a Freqtrade config as it is and adds no key to what the strategy resolves to", async () => {
    const created = await p.api.createConfig({ strategy_name: "FreqtradeBot", config_data: FREQTRADE_CONFIG });
    // Critical parameters change in dev: a second person approves.
    expect(await p.activateApproved("FreqtradeBot", created.config_id, "dev")).not.toBe("rejected");
    const resolved = (await p.http("/api/v1/resolve/FreqtradeBot?environment=dev")).body;
    expect(Object.keys(resolved.values).sort()).toEqual(Object.keys(FREQTRADE_CONFIG).sort());
  });

  it("is not loaded again by the next start, and not at all with TRADAI_CATALOG_PRESET=none", async () => {
    const revision = (await p.http("/api/v1/catalog")).body.revision;
    // Another start on the same database (a restart, a second replica): not a first start.
    const again = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none" }),
      p.db,
    );
    await again.close();
    expect((await p.http("/api/v1/catalog")).body.revision).toBe(revision);

    const off = await startTestPlatform({ TRADAI_CATALOG_PRESET: "none" });
    expect((await off.http("/api/v1/catalog")).body.items).toEqual([]);
    await off.close();
  });
});

describe(`the Freqtrade preset under the demo (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_CATALOG_PRESET: "freqtrade", TRADAI_DEMO_DATA: "true" });
  });
  afterAll(() => p.close());

  it("keeps every preset key, the demo's narrower definitions of its own four for every strategy, and the demo's versions active", async () => {
    const { body } = await p.http("/api/v1/catalog");
    const byName = new Map(
      body.items.map((i: { parameter: { name: string } }) => [i.parameter.name, i.parameter] as const),
    );
    for (const { name } of FREQTRADE_PRESET) expect(byName.has(name), name).toBe(true);
    expect(byName.get("stoploss")).toMatchObject({ min: -0.5, max: -0.001, default: -0.05, strategies: [] });
    expect(byName.get("timeframe")).toMatchObject({ allowed: ["5m", "15m", "1h", "4h", "1d"], strategies: [] });
    const demo = (await p.http("/api/v1/configs")).body.items.find(
      (s: { strategy_name: string }) => s.strategy_name === "MeanReversionDemo",
    );
    expect(demo?.version_count).toBe(3);
    expect(new Set(Object.values(demo?.active ?? {})).size).toBe(3);
  });
});
