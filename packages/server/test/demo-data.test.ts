/** The demo that `npm start` loads into an empty database is valid and complete. */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`demo data (${backend})`, () => {
  let p: TestPlatform;
  const dataDir = join(mkdtempSync(join(tmpdir(), "tradai-demo-")), "data");
  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_DEMO_DATA: "true", TRADAI_DATA_DIR: dataDir });
  });
  afterAll(() => p.close());

  it("loads the catalog: StochRsiStrategy's parameters and a ~60-parameter pipeline with two rules", async () => {
    const catalog = (await p.http("/api/v1/catalog")).body;
    const items = catalog.items as {
      parameter: {
        name: string;
        strategies: string[];
        criticality: string;
        reload: string;
        deprecated: boolean;
        replacement?: string;
        group: string;
      };
    }[];
    const pipeline = items.filter((i) => i.parameter.strategies.includes("TradingPipeline"));
    expect(pipeline.length).toBeGreaterThanOrEqual(55);
    expect(new Set(pipeline.map((i) => i.parameter.group))).toEqual(
      new Set(["features", "inference", "filters", "execution", "risk"]),
    );
    expect(items.filter((i) => i.parameter.criticality === "critical").length).toBeGreaterThanOrEqual(3);
    expect(items.filter((i) => i.parameter.reload === "hot").length).toBeGreaterThanOrEqual(3);
    // Position sizing changes only when a worker holds no open trade.
    expect(
      items
        .filter((i) => i.parameter.reload === "between_trades")
        .map((i) => [i.parameter.name, i.parameter.strategies]),
    ).toEqual([
      ["risk.max_open_trades", ["TradingPipeline"]],
      ["stake_amount", ["StochRsiStrategy"]],
    ]);
    expect(items.filter((i) => i.parameter.deprecated).map((i) => i.parameter.replacement)).toEqual([
      "inference.threshold",
    ]);
    expect(
      items.some((i) => i.parameter.name === "stoploss" && i.parameter.strategies.includes("StochRsiStrategy")),
    ).toBe(true);
    const rules = await p.http("/api/v1/catalog/rules");
    expect(rules.body.items).toHaveLength(2);
  });

  it("adds a demo approver whose generated password is kept in a 0600 file in the data directory", async () => {
    const file = join(dataDir, "first-credentials.txt");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const line = readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith("approver "));
    const [, role, password] = (line ?? "").split(" ");
    expect(role).toBe("approver");
    // The admin's password was given (TRADAI_ADMIN_PASSWORD), so only the generated one is kept.
    expect(readFileSync(file, "utf8")).not.toMatch(/^admin /m);
    const approver = createApiClient({
      baseUrl: p.url,
      credentials: { username: "approver", password: password ?? "" },
    });
    const me = await approver.me();
    expect(me.roles).toEqual(["approver"]);
    const audit = await p.http("/api/v1/audit?action=user.create");
    expect(audit.body.items.map((e: { target_id: string; actor: string }) => [e.target_id, e.actor])).toContainEqual([
      "approver",
      "demo-data",
    ]);
  });

  it("loads a demo strategy with a different version active in each environment", async () => {
    const summary = await p.api.listStrategies();
    const demo = summary.items.find((s) => s.strategy_name === "MeanReversionDemo");
    expect(demo?.version_count).toBe(3);
    expect(new Set(Object.values(demo?.active ?? {})).size).toBe(3);
  });

  it("the seed's first config is valid under the demo catalog", async () => {
    const created = await p.api.createConfig({
      strategy_name: "StochRsiStrategy",
      config_data: { timeframe: "1h", stoploss: -0.02, stake_amount: 150 },
    });
    expect(created.config_id).toBe("v1-0aafb37d");
    expect(created.catalog_revision).toBeGreaterThan(70);
  });
});
