/** `tradai config explain`: the origin of every resolved value, against a real server process. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { type CliResult, type CliTestServer, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;
const cli = (...args: string[]) => t.cli(...args);
const ok = (result: CliResult) => t.ok(result);

describe(`tradai config explain (${backend})`, () => {
  beforeAll(async () => {
    t = await startCliTestServer();
    ok(
      await cli(
        "catalog",
        "set",
        "risk.max_trades",
        "--type",
        "int",
        "--min",
        "1",
        "--max",
        "50",
        "--default",
        "8",
        "--description",
        "Open trades",
      ),
    );
    ok(await cli("catalog", "set", "stoploss", "--type", "number", "--default", "-0.05", "--description", "Stop loss"));
    const api = await adminFetch(`${t.server.url}/api/v1/environments/dev/base`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ values: { exchange: "binance_futures" } }),
    });
    expect(api.status).toBe(200);
    ok(await cli("config", "create", "S", "--data", '{"stoploss":-0.02,"timeframe":"1h"}'));
    ok(
      await cli(
        "config",
        "activate",
        "S",
        `v1-${JSON.parse(ok(await cli("--json", "config", "list", "S"))).items[0].config_id.slice(3)}`,
      ),
    );
  });
  afterAll(() => t?.close());

  it("prints every value with its layer and that layer's revision or version", async () => {
    const out = ok(await cli("config", "explain", "S", "--env", "dev"));
    const rows = Object.fromEntries(
      out
        .split("\n")
        .slice(2)
        .filter((line) => line.trim() !== "")
        .map((line) => line.split(/\s{2,}/))
        .map(([name, value, from, source]) => [name, [value, from, source]]),
    );
    expect(rows).toEqual({
      exchange: ['"binance_futures"', "environment base", "dev base revision 1"],
      "risk.max_trades": ["8", "catalog default", "catalog revision 2"],
      stoploss: ["-0.02", "config version", expect.stringMatching(/^v1-[0-9a-f]{8}$/)],
      timeframe: ['"1h"', "config version", expect.stringMatching(/^v1-[0-9a-f]{8}$/)],
    });
    expect(out.split("\n")[0]).toMatch(/^S in dev \(active v1-[0-9a-f]{8}\), resolved hash [0-9a-f]{64}$/);
  });

  it("--json gives values and provenance", async () => {
    const json = JSON.parse(ok(await cli("--json", "config", "explain", "S")));
    expect(json.values).toEqual({
      exchange: "binance_futures",
      risk: { max_trades: 8 },
      stoploss: -0.02,
      timeframe: "1h",
    });
    expect(json.provenance["risk.max_trades"]).toEqual({ layer: "catalog_default", source: "catalog revision 2" });
  });

  it("no active version in the environment: exit 1 saying so", async () => {
    const res = await cli("config", "explain", "S", "--env", "prod");
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no active config version in prod/);
  });
});
