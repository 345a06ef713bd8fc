/**
 * Every run obeys the catalog (incident #673 cannot happen again): a run's merged values are
 * checked by the same validator as a config version's. A refused request leaves no run and no
 * parameter set; deprecated values run only on purpose, recorded and flagged; a re-run reproduces
 * what ran, flagged when its values were deprecated since; free keys are kept only where the
 * strategy's policy is open, marked uncatalogued.
 */
import { contentHash, type JsonValue } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const STRATEGY = "FineTune";
const REQUEST = { ...SEED_BACKTEST, strategy: STRATEGY, task_definition: "tradai-strategy-stochrsi" };

describe(`runs obey the catalog (${backend})`, () => {
  let p: TestPlatform;
  const submit = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    p.http("/api/v1/backtests", postJson(JSON.stringify({ config: { ...REQUEST, ...config }, ...extra })));
  const counts = async () =>
    (
      await p.db.query<{ runs: number; sets: number }>(
        "SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM parameter_sets) AS sets",
      )
    ).rows[0];

  beforeAll(async () => {
    p = await startTestPlatform();
    const forFineTune = { strategies: [STRATEGY] };
    await p.api.createParameter({
      name: "pte_policy",
      type: "enum",
      allowed: ["ATR0.5_1.5_H4", "ATR1.5_3.0_H5", "ATR1.0_2.0_H4"],
      default: "ATR0.5_1.5_H4",
      description: "Profit-taking envelope",
      ...forFineTune,
    });
    await p.api.createParameter({
      name: "stoploss",
      type: "number",
      min: -0.5,
      max: -0.001,
      description: "Stop",
      ...forFineTune,
    });
    await p.api.createParameter({
      name: "take_profit",
      type: "number",
      min: 0,
      max: 1,
      description: "TP",
      ...forFineTune,
    });
    await p.api.createParameter({
      name: "roi_target",
      type: "number",
      description: "Old take-profit",
      deprecated: true,
      replacement: "take_profit",
      reason: "was silently overridden",
      ...forFineTune,
    });
    await p.api.saveRule({
      name: "tp_beyond_stop",
      expression: "take_profit > -stoploss",
      message: "take profit must lie beyond the stop",
      strategies: [STRATEGY],
    });
    // Incident #673: one catalog edit deprecates the envelope that ruined a 3-hour run.
    const envelope = (await p.api.getParameter("pte_policy")).parameter;
    await p.api.updateParameter({
      ...envelope,
      deprecated_values: { "ATR1.5_3.0_H5": { replacement: "ATR0.5_1.5_H4", reason: "incident #673" } },
    });
  });
  afterAll(() => p?.close());

  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "a deprecated parameter",
      { roi_target: 0.2 },
      "config.roi_target",
      /roi_target is deprecated; use take_profit instead/,
    ],
    [
      "a deprecated value (the #673 pair)",
      { pte_policy: "ATR1.5_3.0_H5" },
      "config.pte_policy",
      /"ATR1.5_3.0_H5" is a deprecated value of pte_policy; use "ATR0.5_1.5_H4" instead \(incident #673\)/,
    ],
    ["an enum value outside the allowed list", { pte_policy: "NOT_ALLOWED" }, "config.pte_policy", /must be one of/],
    ["a value out of bounds", { stoploss: 5 }, "config.stoploss", /must be at most -0.001/],
    ["a broken coherence rule", { stoploss: -0.3, take_profit: 0.1 }, "config", /rule tp_beyond_stop violated/],
    ["a misspelt key", { stoplos: -0.3 }, "config.stoplos", /unknown parameter \(did you mean stoploss\?\)/],
  ];
  for (const [name, values, field, message] of refusals) {
    it(`refuses ${name} with 422 naming the key, and stores nothing`, async () => {
      const before = await counts();
      const res = await submit(values);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.type).toContain("application/problem+json");
      const error = (res.body.errors as { field: string; message: string }[]).find((e) => e.field === field);
      expect(error?.message, JSON.stringify(res.body.errors)).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }

  it("says where a refused value came from: the config version that holds it", async () => {
    const { config_id } = await p.api.createConfig({
      strategy_name: STRATEGY,
      config_data: { stoploss: -0.05 },
    });
    // The version was valid; a tighter bound later makes its value wrong for new runs.
    await p.api.updateParameter(
      { name: "stoploss", type: "number", min: -0.04, max: -0.001, description: "Stop", strategies: [STRATEGY] },
      { forceReason: "tighter stops" },
    );
    try {
      const res = await submit({ config_version_id: config_id });
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual(
        expect.objectContaining({
          field: "config.stoploss",
          message: `must be at least -0.04 (from config version ${config_id})`,
        }),
      );
    } finally {
      await p.api.updateParameter({
        name: "stoploss",
        type: "number",
        min: -0.5,
        max: -0.001,
        description: "Stop",
        strategies: [STRATEGY],
      });
    }
  });

  it("runs a deprecated value on purpose with allow_deprecated and a reason: recorded, and flagged on the run", async () => {
    const res = await submit(
      { pte_policy: "ATR1.5_3.0_H5" },
      { allow_deprecated: { keys: ["pte_policy"], reason: "reproduce incident #673" } },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await p.api.getRun(res.body.job_id);
    expect(run.warnings).toEqual([
      'pte_policy = "ATR1.5_3.0_H5" is deprecated (use "ATR0.5_1.5_H4": incident #673); used on purpose: reproduce incident #673',
    ]);
    const set = (await p.api.getParameterSet(res.body.parameter_set_hash)).parameter_set;
    expect(set).toMatchObject({
      schema: "tradai.parameter-set/2",
      deprecated_allowed: { keys: ["pte_policy"], reason: "reproduce incident #673" },
      catalog: {
        pte_policy: {
          type: "enum",
          deprecated_values: { "ATR1.5_3.0_H5": { replacement: "ATR0.5_1.5_H4", reason: "incident #673" } },
        },
      },
      code: {
        task_definition: "tradai-strategy-stochrsi",
        version: expect.stringMatching(/^@tradai\/reference-worker@/),
      },
    });
    // The hash covers all of it.
    expect(contentHash(set as unknown as JsonValue)).toBe(res.body.parameter_set_hash);
    // An allowance for a key that uses no deprecated value is refused, so none is given blindly.
    const blind = await submit({}, { allow_deprecated: { keys: ["stoploss"], reason: "just in case" } });
    expect(blind.status).toBe(422);
    expect(blind.body.errors[0]).toMatchObject({ field: "allow_deprecated.keys[0]" });
  });

  it("re-runs a run whose value was deprecated later: identical, allowed, flagged", async () => {
    const first = await submit({ pte_policy: "ATR1.0_2.0_H4" });
    expect(first.status).toBe(202);
    const envelope = (await p.api.getParameter("pte_policy")).parameter;
    await p.api.updateParameter({
      ...envelope,
      deprecated_values: {
        ...envelope.deprecated_values,
        "ATR1.0_2.0_H4": { replacement: "ATR0.5_1.5_H4", reason: "too wide" },
      },
    });
    // A new run with it is refused...
    expect((await submit({ pte_policy: "ATR1.0_2.0_H4" })).status).toBe(422);
    // ...a re-run reproduces the old one exactly, and says so.
    const again = await p.api.rerun(first.body.job_id);
    expect(again.parameter_set_hash).toBe(first.body.parameter_set_hash);
    const run = await p.api.getRun(again.job_id);
    expect(run.warnings).toEqual([
      `pte_policy = "ATR1.0_2.0_H4" is deprecated (use "ATR0.5_1.5_H4": too wide); a re-run of ${first.body.job_id} reproduces it`,
    ]);
  });

  it("keeps free keys only where the strategy's policy is open, marked uncatalogued on the run and its parameter set", async () => {
    await p.api.setCatalogPolicy("Loose", "open");
    await p.api.createParameter({ name: "loose_knob", type: "int", description: "Knob", strategies: ["Loose"] });
    const res = await p.http(
      "/api/v1/backtests",
      postJson(
        JSON.stringify({
          config: { ...REQUEST, strategy: "Loose", loose_knob: 3, my_feature: { depth: 2 } },
        }),
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((await p.api.getRun(res.body.job_id)).uncatalogued).toEqual(["my_feature"]);
    expect((await p.api.getParameterSet(res.body.parameter_set_hash)).parameter_set.uncatalogued).toEqual([
      "my_feature",
    ]);
  });

  it("checks required parameters of the merged values", async () => {
    await p.api.createParameter({
      name: "account",
      type: "string",
      required: true,
      description: "Account",
      strategies: ["NeedsAccount"],
    });
    const res = await p.http(
      "/api/v1/backtests",
      postJson(JSON.stringify({ config: { ...REQUEST, strategy: "NeedsAccount" } })),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field: "config.account", message: expect.stringMatching(/is required/) }),
    );
  });
});
