/**
 * Runs obey the catalog from the command line too (issue 24): `tradai backtest quick` refuses each
 * of the six bad requests with the 422 naming the key and queues nothing; `--allow-deprecated` runs
 * a deprecated value on purpose and the summary says so; `tradai backtest sweep` runs one backtest
 * per catalog grid point, follows them, and prints one table of points and metrics.
 */
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_TASKS } from "../../../test-support/platform.js";
import { type CliTestServer, startCliTestServer } from "../../../test-support/server-process.js";

const STRATEGY = "CliTune";

let t: CliTestServer;
let api: ReturnType<typeof createApiClient>;

/** The strategy's runs, as the API reports them. */
const counts = async () => (await api.listRuns({ strategy: STRATEGY })).total;

beforeAll(async () => {
  t = await startCliTestServer({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS });
  api = createApiClient({ baseUrl: t.server.url, credentials: { username: "admin", password: TEST_ADMIN_PASSWORD } });
  const mine = { strategies: [STRATEGY] };
  await api.createParameter({
    name: "pte_policy",
    type: "enum",
    allowed: ["ATR0.5_1.5_H4", "ATR1.5_3.0_H5", "ATR1.0_2.0_H4"],
    default: "ATR0.5_1.5_H4",
    description: "Profit-taking envelope",
    ...mine,
  });
  await api.createParameter({ name: "stoploss", type: "number", min: -0.5, max: -0.001, description: "Stop", ...mine });
  await api.createParameter({ name: "take_profit", type: "number", min: 0, max: 1, description: "TP", ...mine });
  await api.createParameter({ name: "trail", type: "bool", default: false, description: "Trailing stop", ...mine });
  await api.createParameter({
    name: "roi_target",
    type: "number",
    description: "Old take-profit",
    deprecated: true,
    replacement: "take_profit",
    reason: "was silently overridden",
    ...mine,
  });
  await api.saveRule({
    name: "tp_beyond_stop",
    expression: "take_profit > -stoploss",
    message: "take profit must lie beyond the stop",
    strategies: [STRATEGY],
  });
});

afterAll(async () => {
  await t?.close();
});

const quick = (...args: string[]) => t.cli("backtest", "quick", STRATEGY, "--task-definition", "fixture", ...args);

describe(`tradai backtest quick and sweep obey the catalog (${backend})`, () => {
  it("deprecates a value in one catalog edit (catalog set --deprecated-values), and shows it", async () => {
    t.ok(
      await t.cli(
        "catalog",
        "set",
        "pte_policy",
        "--deprecated-values",
        '{"ATR1.5_3.0_H5": {"replacement": "ATR0.5_1.5_H4", "reason": "incident #673"}}',
      ),
    );
    expect((await api.getParameter("pte_policy")).parameter.deprecated_values).toEqual({
      "ATR1.5_3.0_H5": { replacement: "ATR0.5_1.5_H4", reason: "incident #673" },
    });
    expect(t.ok(await t.cli("catalog", "show", "pte_policy"))).toMatch(
      /^deprecated_values: +ATR1\.5_3\.0_H5 -> "ATR0\.5_1\.5_H4" \(incident #673\)$/m,
    );
    const bad = await t.cli("catalog", "set", "pte_policy", "--deprecated-values", '["ATR1.5_3.0_H5"]');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--deprecated-values must be a JSON object");
  });

  const refusals: [string, string[], RegExp][] = [
    [
      "a deprecated parameter",
      ["--param", "roi_target=0.2"],
      /config\.roi_target.*roi_target is deprecated; use take_profit/,
    ],
    [
      "a deprecated value (the #673 pair)",
      ["--param", "pte_policy=ATR1.5_3.0_H5"],
      /config\.pte_policy.*"ATR1\.5_3\.0_H5" is a deprecated value of pte_policy; use "ATR0\.5_1\.5_H4" instead/,
    ],
    [
      "an enum value outside the allowed list",
      ["--param", "pte_policy=NOT_ALLOWED"],
      /config\.pte_policy.*must be one of/,
    ],
    ["a value out of bounds", ["--param", "stoploss=5"], /config\.stoploss.*must be at most -0\.001/],
    [
      "a broken coherence rule",
      ["--param", "stoploss=-0.3", "--param", "take_profit=0.1"],
      /take profit must lie beyond the stop/,
    ],
    ["a misspelt key", ["--param", "stoplos=-0.3"], /config\.stoplos.*did you mean stoploss/],
  ];
  it.each(refusals)("refuses %s: exit 1, the 422 naming the key, nothing queued", async (_, args, message) => {
    const before = await counts();
    const result = await quick(...args);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/\(HTTP 422\)/);
    expect(result.stderr).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("runs a deprecated value on purpose with --allow-deprecated, and the summary says so", async () => {
    const result = t.ok(
      await quick("--param", "pte_policy=ATR1.5_3.0_H5", "--allow-deprecated", "pte_policy:reproduce incident 673"),
    );
    expect(result).toMatch(
      /^warning: +pte_policy = "ATR1\.5_3\.0_H5" is deprecated \(use "ATR0\.5_1\.5_H4": incident #673\); used on purpose: reproduce incident 673$/m,
    );
    // The set says so too, with the catalog's word on each key as it was then.
    const hash = /^parameter set: +([0-9a-f]{64})$/m.exec(result)?.[1] as string;
    expect(hash).toBeDefined();
    const shown = t.ok(await t.cli("parameter-sets", "show", hash));
    expect(shown).toContain(`hash:`);
    expect(shown).toMatch(new RegExp(`^hash: +${hash} \\(verified: the content hashes to it\\)$`, "m"));
    expect(shown).toMatch(/^schema: +tradai\.parameter-set\/2$/m);
    expect(shown).toMatch(/^deprecated on purpose: +pte_policy: reproduce incident 673$/m);
    expect(shown).toMatch(
      /^pte_policy +ATR1\.5_3\.0_H5 +request +enum +ATR0\.5_1\.5_H4\|ATR1\.5_3\.0_H5\|ATR1\.0_2\.0_H4 +restart +normal +deprecated value \(use ATR0\.5_1\.5_H4: incident #673\); run on purpose$/m,
    );
    const short = await t.cli("parameter-sets", "show", hash.slice(0, 12));
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("HASH must be the full 64 lower-case hex digits");
    const noReason = await quick("--param", "pte_policy=ATR1.5_3.0_H5", "--allow-deprecated", "pte_policy");
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("--allow-deprecated expects keys and a reason");
  });

  it("sweeps the catalog's grid: one run per point, one sweep id, a table of points and metrics", async () => {
    const result = await t.cli(
      "backtest",
      "sweep",
      STRATEGY,
      "--over",
      "pte_policy,trail",
      "--task-definition",
      "fixture",
    );
    expect(result.code, result.stderr).toBe(0);
    // 2 live envelopes (one is deprecated) x 2 booleans.
    const sweepId =
      /^Sweep ([0-9a-f-]{36}): 4 run\(s\) over pte_policy, trail \(grid of 4 from catalog revision \d+\)$/m.exec(
        result.stderr,
      )?.[1];
    expect(sweepId, result.stderr).toBeDefined();
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^PTE_POLICY +TRAIL +STATUS +STAKE_AMOUNT +TOTAL_RETURN +TRADE_COUNT +PRICES +JOB_ID$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ["ATR0.5_1.5_H4", "false", "completed"],
      ["ATR0.5_1.5_H4", "true", "completed"],
      ["ATR1.0_2.0_H4", "false", "completed"],
      ["ATR1.0_2.0_H4", "true", "completed"],
    ]);
    const shown = t.ok(await t.cli("backtest", "sweep-show", sweepId as string));
    expect(shown).toMatch(new RegExp(`^Sweep ${sweepId} of ${STRATEGY}: 4/4 ended$`, "m"));
    const runs = await api.listRuns({ sweep_id: sweepId });
    expect(runs.total).toBe(4);
    expect(new Set(runs.items.map((r) => r.parameter_set_hash)).size).toBe(4);

    const unknown = await t.cli("backtest", "sweep", STRATEGY, "--over", "trial", "--task-definition", "fixture");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/over.*no parameter trial in the catalog/);
  });
});
