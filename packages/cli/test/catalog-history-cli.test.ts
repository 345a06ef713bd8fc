/** `tradai catalog revisions|grid` and `tradai env base show|set` against a real server process. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { type CliResult, type CliTestServer, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;
const cli = (...args: string[]) => t.cli(...args);
const ok = (result: CliResult) => t.ok(result);

describe(`catalog revisions, grid and environment base from the CLI (${backend})`, () => {
  beforeAll(async () => {
    t = await startCliTestServer();
    ok(
      await cli(
        "catalog",
        "set",
        "rsi_period",
        "--type",
        "int",
        "--min",
        "2",
        "--max",
        "50",
        "--variants",
        "[7,14]",
        "--description",
        "RSI window",
      ),
    );
    ok(
      await cli("catalog", "set", "oversold", "--type", "number", "--variants", "[20,30]", "--description", "Oversold"),
    );
    ok(await cli("catalog", "set", "oversold", "--type", "number", "--variants", "[25]", "--description", "Oversold"));
  });
  afterAll(() => t?.close());

  it("lists revisions and diffs two of them", async () => {
    const list = ok(await cli("catalog", "revisions"));
    expect(list.split("\n")[0]).toMatch(/^REVISION\s+WHEN\s+BY\s+SUMMARY\s+FORCED$/);
    expect(list).toMatch(/^3\s+.*admin\s+update parameter oversold/m);
    const diff = ok(await cli("catalog", "revisions", "--diff", "2", "3"));
    expect(diff).toMatch(/parameter:oversold\s+changed/);
    expect((await cli("catalog", "revisions", "--diff", "2")).code).toBe(2);
  });

  it("prints the variants grid", async () => {
    const out = ok(await cli("catalog", "grid", "rsi_period,oversold"));
    expect(out.split("\n")).toEqual([
      "2 combination(s) (catalog revision 3)",
      "rsi_period  oversold",
      "7           25",
      "14          25",
      "",
    ]);
    const bad = await cli("catalog", "grid", "nope");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no parameter nope/);
  });

  it("sets and shows environment base values", async () => {
    expect(
      ok(await cli("env", "base", "set", "dev", "--data", '{"exchange":"binance_futures","rsi_period":14}')),
    ).toMatch(/dev base values saved as revision 1/);
    const shown = JSON.parse(ok(await cli("--json", "env", "base", "show", "dev")));
    expect(shown).toMatchObject({
      environment: "dev",
      revision: 1,
      values: { exchange: "binance_futures", rsi_period: 14 },
    });
    const refused = await cli("env", "base", "set", "dev", "--data", '{"rsi_period":500}');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/values\.rsi_period.*at most 50/);
    expect((await cli("env", "base", "show")).code).toBe(2);
  });
});
