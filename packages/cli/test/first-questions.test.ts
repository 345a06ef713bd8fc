/**
 * A CLI that answers the first questions (issue 27), against a real `tradai serve` process that
 * launches the fixture worker: `tradai strategies` (the active version of each strategy per
 * environment), `tradai config diff STRATEGY A [B]` (B: the version active in --env), `tradai runs
 * diff` with the runs' metrics side by side, and errors that name the CLI's options rather than
 * the API's fields (a frozen environment asks for --freeze-override).
 */
import type { MetricComparison, ParameterSetDiff, StrategyList } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_TASKS } from "../../../test-support/platform.js";
import { type CliTestServer, startCliTestServer } from "../../../test-support/server-process.js";

const STRATEGY = "FirstQuestions";
const UNDEPLOYED = "FirstQuestionsDraft";
const V1_DATA = { timeframe: "1h", stoploss: -0.02, stake_amount: 100 };
const V2_DATA = { timeframe: "1h", stoploss: -0.03, stake_amount: 250, trailing_stop: true };

let t: CliTestServer;
let v1: string;
let v2: string;
let draft: string;

const cells = (line: string | undefined) => (line ?? "").trim().split(/\s{2,}/);

async function create(strategy: string, data: Record<string, unknown>): Promise<string> {
  const out = t.ok(await t.cli("config", "create", strategy, "--data", JSON.stringify(data)));
  const id = /^Created (v\d+-[0-9a-f]{8})$/m.exec(out)?.[1];
  expect(id, out).toBeDefined();
  return id as string;
}

/** A completed fixture run on a config version; its job id. */
async function runOn(configId: string): Promise<string> {
  const out = t.ok(await t.cli("backtest", "quick", STRATEGY, "-cv", configId, "--task-definition", "fixture"));
  const job = /^Run ([0-9a-f-]{36}) completed$/m.exec(out)?.[1];
  expect(job, out).toBeDefined();
  return job as string;
}

beforeAll(async () => {
  t = await startCliTestServer({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS });
  v1 = await create(STRATEGY, V1_DATA);
  v2 = await create(STRATEGY, V2_DATA);
  draft = await create(UNDEPLOYED, { timeframe: "5m" });
  // dev (the default) runs v2, staging v1 (promoted from dev), prod nothing.
  t.ok(await t.cli("config", "activate", STRATEGY, v1));
  t.ok(await t.cli("config", "promote", STRATEGY, v1, "--from", "dev", "--to", "staging"));
  t.ok(await t.cli("config", "activate", STRATEGY, v2));
});

afterAll(async () => {
  await t?.close();
});

describe(`tradai strategies (${backend})`, () => {
  it("a table: STRATEGY, then the active version in each environment, '-' where none", async () => {
    const lines = t
      .ok(await t.cli("strategies"))
      .trimEnd()
      .split("\n");
    expect(cells(lines[0])).toEqual(["STRATEGY", "dev", "staging", "prod"]);
    const rows = lines.slice(1).map(cells);
    expect(rows).toContainEqual([STRATEGY, v2, v1, "-"]);
    expect(rows).toContainEqual([UNDEPLOYED, "-", "-", "-"]);
    expect(rows).toHaveLength(2);
  });

  it("--json gives the server's answer", async () => {
    const list = JSON.parse(t.ok(await t.cli("--json", "strategies"))) as StrategyList;
    expect(list.environments).toEqual(["dev", "staging", "prod"]);
    expect(list.items.find((s) => s.strategy_name === STRATEGY)).toMatchObject({
      version_count: 2,
      latest_config_id: v2,
      active: { dev: v2, staging: v1, prod: null },
    });
    expect(list.items.find((s) => s.strategy_name === UNDEPLOYED)?.active).toEqual({
      dev: null,
      staging: null,
      prod: null,
    });
  });
});

describe(`tradai config diff (${backend})`, () => {
  it("A to B: keys changed (old -> new), added and removed, as runs diff shows them", async () => {
    const lines = t
      .ok(await t.cli("config", "diff", STRATEGY, v1, v2))
      .trimEnd()
      .split("\n");
    expect(lines.slice(0, 3)).toEqual([STRATEGY, `A ${v1}`, `B ${v2}`]);
    expect(cells(lines[3])).toEqual(["KEY", "CHANGE", "A", "B"]);
    expect(lines.slice(4).map(cells)).toEqual([
      ["stake_amount", "changed", "100", "250"],
      ["stoploss", "changed", "-0.02", "-0.03"],
      ["trailing_stop", "added", "-", "true"],
    ]);
  });

  it("without B: the version active in --env (default: the default environment)", async () => {
    const againstDev = t.ok(await t.cli("config", "diff", STRATEGY, v1)).split("\n");
    expect(againstDev[2]).toBe(`B ${v2} (active in dev)`);
    expect(againstDev.slice(4).map(cells)).toContainEqual(["trailing_stop", "added", "-", "true"]);

    const againstStaging = t
      .ok(await t.cli("config", "diff", STRATEGY, v2, "--env", "staging"))
      .trimEnd()
      .split("\n");
    expect(againstStaging.slice(1, 3)).toEqual([`A ${v2}`, `B ${v1} (active in staging)`]);
    expect(againstStaging.slice(4).map(cells)).toEqual([
      ["stake_amount", "changed", "250", "100"],
      ["stoploss", "changed", "-0.03", "-0.02"],
      ["trailing_stop", "removed", "true", "-"],
    ]);

    const same = t.ok(await t.cli("config", "diff", STRATEGY, v1, "--env", "staging"));
    expect(same.trimEnd().split("\n").at(-1)).toBe("the two versions have the same config data");
  });

  it("--json: the two ids and the keys added, removed and changed", async () => {
    const diff = JSON.parse(t.ok(await t.cli("--json", "config", "diff", STRATEGY, v1)));
    expect(diff).toEqual({
      strategy_name: STRATEGY,
      a: v1,
      b: v2,
      b_active_in: "dev",
      added: { trailing_stop: true },
      removed: {},
      changed: { stake_amount: { old: 100, new: 250 }, stoploss: { old: -0.02, new: -0.03 } },
    });
  });

  it("no active version to compare with is a usage error (exit 2); an unknown version the server's 404", async () => {
    const none = await t.cli("config", "diff", UNDEPLOYED, draft);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no version of ${UNDEPLOYED} is active in dev: name version B`);
    const inProd = await t.cli("config", "diff", STRATEGY, v1, "--env", "prod");
    expect(inProd.code).toBe(2);
    expect(inProd.stderr).toContain("is active in prod");
    const unknown = await t.cli("config", "diff", STRATEGY, v1, "v9-00000000");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("(HTTP 404)");
  });
});

describe(`tradai runs diff shows the metrics (${backend})`, () => {
  let onV1: string;
  let onV2: string;

  beforeAll(async () => {
    onV1 = await runOn(v1);
    onV2 = await runOn(v2);
  });

  it("the parameter diff, then the metrics of A and B with B - A", async () => {
    const out = t.ok(await t.cli("runs", "diff", onV1, onV2));
    const [params, metrics] = out.trimEnd().split("\n\n");
    const paramLines = (params ?? "").split("\n");
    expect(paramLines.slice(0, 2)).toEqual([`A ${onV1} (${v1})`, `B ${onV2} (${v2})`]);
    expect(cells(paramLines[2])).toEqual(["KEY", "CHANGE", "A", "B"]);
    expect(paramLines.slice(3).map(cells)).toContainEqual(["stoploss", "changed", "-0.02", "-0.03"]);

    // The fixture worker reports the stake it ran with as a metric; nothing else differs.
    const metricLines = (metrics ?? "").split("\n");
    expect(cells(metricLines[0])).toEqual(["METRIC", "A", "B", "DELTA (B - A)"]);
    const rows = metricLines.slice(1).map(cells);
    expect(rows).toContainEqual(["stake_amount", "100", "250", "+150"]);
    expect(rows).toContainEqual(["trade_count", "0", "0", "0"]);
  });

  it("the same metrics as runs compare; --json adds them to the parameter-set diff", async () => {
    const compared = t
      .ok(await t.cli("runs", "compare", onV1, onV2))
      .trimEnd()
      .split("\n\n")
      .at(-1);
    const diffed = t
      .ok(await t.cli("runs", "diff", onV1, onV2))
      .trimEnd()
      .split("\n\n")
      .at(-1);
    expect(diffed).toBe(compared);

    const json = JSON.parse(t.ok(await t.cli("--json", "runs", "diff", onV1, onV2))) as ParameterSetDiff & {
      metrics: MetricComparison[];
    };
    expect(json.changed.stoploss).toEqual({ old: -0.02, new: -0.03 });
    expect(json.added).toEqual({ trailing_stop: true });
    expect(json.metrics).toContainEqual({ name: "stake_amount", a: 100, b: 250, delta: 150 });
  });

  it("a run against itself: no differences, every delta 0", async () => {
    const out = t.ok(await t.cli("runs", "diff", onV1, onV1));
    const [params, metrics] = out.trimEnd().split("\n\n");
    expect(params?.split("\n").at(-1)).toBe("the two parameter sets have the same values");
    const deltas = (metrics ?? "")
      .split("\n")
      .slice(1)
      .map((line) => cells(line)[3]);
    expect(deltas.length).toBeGreaterThan(0);
    expect(new Set(deltas)).toEqual(new Set(["0"]));
  });
});

describe(`errors name the CLI's options (${backend})`, () => {
  it("a query field the command has an option for: limit is --limit", async () => {
    const result = await t.cli("config", "list", STRATEGY, "--limit", "100000");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(HTTP 422)");
    expect(result.stderr).toMatch(/^ {2}- --limit: limit \(query\): /m);
  });

  it("a frozen environment asks for --freeze-override, not the API's freeze_override_reason", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const added = t.ok(
      await t.cli("env", "freeze", "add", "dev", "--reason", "release", "--from", from, "--until", until),
    );
    const id = /^Added freeze window (\d+) to dev/m.exec(added)?.[1];
    expect(id, added).toBeDefined();
    try {
      const refused = await t.cli("config", "activate", STRATEGY, v1);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("(HTTP 423)");
      expect(refused.stderr).toContain("--freeze-override");
      expect(refused.stderr).not.toContain("freeze_override_reason");
      expect(refused.stderr).toMatch(/by giving a freeze override reason \(--freeze-override\)/);
      const overridden = t.ok(await t.cli("config", "activate", STRATEGY, v1, "--freeze-override", "hotfix"));
      expect(overridden).toContain(`Activated ${v1} of ${STRATEGY} in dev`);
    } finally {
      t.ok(await t.cli("env", "freeze", "remove", "dev", id as string));
    }
  });
});
