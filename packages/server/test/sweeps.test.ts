/**
 * Sweeps read their grid from the catalog (issue 24, item 5): one run per point, each with its own
 * parameter set carrying the sweep id and its point, all sharing one sweep id; a catalog edit
 * changes the next sweep's grid with no code change. A grid the catalog cannot give is refused,
 * naming the field, and leaves nothing behind.
 */
import type { SubmitSweepResponse, SweepView } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const STRATEGY = "Sweepy";
const REQUEST = { ...SEED_BACKTEST, strategy: STRATEGY, task_definition: "tradai-strategy-stochrsi" };

describe(`sweeps take their grid from the catalog (${backend})`, () => {
  let p: TestPlatform;
  const sweep = (over: string[], config: Record<string, unknown> = {}) =>
    p.http("/api/v1/sweeps", postJson(JSON.stringify({ config: { ...REQUEST, ...config }, over })));
  const counts = async () =>
    (
      await p.db.query<{ runs: number; sets: number }>(
        "SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM parameter_sets) AS sets",
      )
    ).rows[0];

  beforeAll(async () => {
    p = await startTestPlatform();
    const mine = { strategies: [STRATEGY] };
    await p.api.createParameter({
      name: "envelope",
      type: "enum",
      allowed: ["tight", "mid", "wide", "old"],
      default: "tight",
      description: "profit envelope",
      deprecated_values: { old: { replacement: "mid", reason: "superseded" } },
      ...mine,
    });
    await p.api.createParameter({
      name: "exit_mode",
      type: "enum",
      allowed: ["market", "limit"],
      default: "market",
      description: "exit orders",
      ...mine,
    });
    await p.api.createParameter({ name: "trail", type: "bool", default: false, description: "trailing stop", ...mine });
    await p.api.createParameter({
      name: "rsi_period",
      type: "int",
      min: 10,
      max: 20,
      step: 5,
      default: 15,
      description: "RSI period",
      ...mine,
    });
    await p.api.createParameter({
      name: "fine",
      type: "number",
      min: 0,
      max: 1,
      step: 0.0001,
      description: "too fine",
      ...mine,
    });
    await p.api.createParameter({ name: "note", type: "string", description: "free text", ...mine });
  });
  afterAll(() => p?.close());

  it("a 3 x 2 grid makes 6 runs, 6 parameter sets, one sweep id; one more allowed value makes the next 9", async () => {
    const before = await counts();
    const res = await sweep(["envelope", "exit_mode"]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const body = res.body as SubmitSweepResponse;
    expect(body.size).toBe(6);
    // The deprecated value is not swept.
    expect(body.runs.map((r) => r.point)).toEqual([
      { envelope: "tight", exit_mode: "market" },
      { envelope: "tight", exit_mode: "limit" },
      { envelope: "mid", exit_mode: "market" },
      { envelope: "mid", exit_mode: "limit" },
      { envelope: "wide", exit_mode: "market" },
      { envelope: "wide", exit_mode: "limit" },
    ]);
    expect(new Set(body.runs.map((r) => r.parameter_set_hash)).size).toBe(6);
    expect(await counts()).toEqual({ runs: (before?.runs ?? 0) + 6, sets: (before?.sets ?? 0) + 6 });
    const { rows } = await p.db.query<{ n: number }>("SELECT count(*)::int AS n FROM runs WHERE sweep_id = $1", [
      body.sweep_id,
    ]);
    expect(rows[0]?.n).toBe(6);

    // Each set carries the sweep and its point, and the point's values are what the run uses.
    for (const r of body.runs) {
      const { parameter_set: set } = await p.api.getParameterSet(r.parameter_set_hash);
      expect(set.sweep).toEqual({ id: body.sweep_id, point: r.point });
      expect(set.values).toMatchObject(r.point);
    }

    // The sweep reads back as one table: each run with its point.
    const view = (await p.http(`/api/v1/sweeps/${body.sweep_id}`)).body as SweepView;
    expect(view).toMatchObject({
      sweep_id: body.sweep_id,
      strategy: STRATEGY,
      over: ["envelope", "exit_mode"],
      total: 6,
    });
    expect(view.runs.map((r) => r.point)).toEqual(body.runs.map((r) => r.point));
    expect(view.runs.every((r) => r.sweep_id === body.sweep_id)).toBe(true);

    // One catalog edit, no code change: the next sweep's grid has 9 points.
    const exit = (await p.api.getParameter("exit_mode")).parameter;
    await p.api.updateParameter({ ...exit, allowed: [...(exit.allowed ?? []), "twap"] });
    const next = await sweep(["envelope", "exit_mode"]);
    expect(next.status, JSON.stringify(next.body)).toBe(202);
    expect((next.body as SubmitSweepResponse).runs).toHaveLength(9);
    expect((next.body as SubmitSweepResponse).sweep_id).not.toBe(body.sweep_id);
  });

  it("booleans take both values and stepped numbers every step", async () => {
    const res = await sweep(["rsi_period", "trail"]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((res.body as SubmitSweepResponse).runs.map((r) => r.point)).toEqual([
      { rsi_period: 10, trail: false },
      { rsi_period: 10, trail: true },
      { rsi_period: 15, trail: false },
      { rsi_period: 15, trail: true },
      { rsi_period: 20, trail: false },
      { rsi_period: 20, trail: true },
    ]);
  });

  it("a point a coherence rule refuses is skipped, and said so", async () => {
    await p.api.saveRule({
      name: "no_trailing_limit",
      expression: "!(trail && exit_mode == 'limit')",
      message: "a trailing stop needs market exits",
      strategies: [STRATEGY],
    });
    const res = await sweep(["exit_mode", "trail"]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const body = res.body as SubmitSweepResponse;
    expect(body.size).toBe(6);
    expect(body.runs).toHaveLength(5);
    expect(body.skipped).toEqual([
      {
        point: { exit_mode: "limit", trail: true },
        problems: [expect.objectContaining({ message: expect.stringContaining("a trailing stop needs market exits") })],
      },
    ]);
    await p.api.removeRule("no_trailing_limit");
  });

  const refusals: [string, string[], Record<string, unknown>, RegExp][] = [
    ["an unknown parameter", ["envelop"], {}, /no parameter envelop/],
    ["a parameter with no values to sweep", ["note"], {}, /note has no values to sweep/],
    ["a range too fine", ["fine"], {}, /10001 steps/],
    ["a parameter twice", ["trail", "trail"], {}, /twice/],
    ["a bad value elsewhere in the request", ["trail"], { envelope: "old" }, /envelope/],
    ["a misspelt key in the request", ["trail"], { envelop: "mid" }, /envelop/],
  ];
  it.each(refusals)(
    "refuses %s with a 422 naming the field, and leaves nothing behind",
    async (_, over, config, message) => {
      const before = await counts();
      const res = await sweep(over, config);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(JSON.stringify(res.body)).toMatch(message);
      expect(await counts()).toEqual(before);
    },
  );
});
