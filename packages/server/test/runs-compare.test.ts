/**
 * Comparability through the API (GET /api/v1/runs/compare): runs the local launcher really ran
 * with the fixture worker, under task definitions that record code versions; each verdict with its
 * reason (strict re-run, relaxed ignorable stake and code patch, forbidden value, code minor
 * version and legacy set); metrics side by side with b - a; bad input named by its field.
 */
import { randomUUID } from "node:crypto";
import { contentHash, type JsonValue, type ParameterSet, type RunComparison } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_BACKTEST } from "../../../test-support/backtest-requests.js";
import {
  eventually,
  FIXTURE_TASKS,
  postJson,
  startTestPlatform,
  type TestPlatform,
} from "../../../test-support/platform.js";

const STRATEGY = "CompareStrategy";
const command = (JSON.parse(FIXTURE_TASKS) as { fixture: string[] }).fixture;
/** The fixture worker under three names, each recording the version of the code it runs. */
const VERSIONED_TASKS = JSON.stringify({
  fixture: { command, version: "fixture-worker@1.0.0" },
  "fixture-patched": { command, version: "fixture-worker@1.0.3" },
  "fixture-next": { command, version: "fixture-worker@1.1.0" },
});
const REQUEST = { ...FIXTURE_BACKTEST, strategy: STRATEGY, stoploss: -0.02 };

describe(`comparing runs (${backend})`, () => {
  let p: TestPlatform;
  let base: string;

  const submitted = async (config: Record<string, unknown> = {}) => {
    const { job_id } = await p.api.submitBacktest({ config: { ...REQUEST, ...config } as never });
    return completed(job_id);
  };
  const completed = async (jobId: string) => {
    await eventually(async () => {
      const run = await p.api.getRun(jobId);
      return run.status === "completed" ? run : undefined;
    }, `run ${jobId} to complete`);
    return jobId;
  };
  const compare = async (a: string, b: string): Promise<RunComparison> => {
    const res = await p.http(`/api/v1/runs/compare?a=${a}&b=${b}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const reasons = (c: RunComparison) => c.reasons.map((r) => [r.key ?? r.field, r.kind, r.effect]);

  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: VERSIONED_TASKS });
    const forStrategy = { strategies: [STRATEGY] };
    await p.api.createParameter({ name: "stoploss", type: "number", max: -0.001, description: "Stop", ...forStrategy });
    await p.api.createParameter({
      name: "stake_amount",
      type: "number",
      description: "What each trade stakes: it scales profits, not the strategy's decisions",
      comparability: "ignore",
      ...forStrategy,
    });
    base = await submitted();
  });
  afterAll(() => p?.close());

  it("strict: a re-run on the same parameter set, both runs and their metrics side by side", async () => {
    const rerun = await completed((await p.api.rerun(base)).job_id);
    const c = await compare(base, rerun);
    expect(c).toMatchObject({ verdict: "strict", reasons: [] });
    expect(c.summary).toMatch(/^strict: both runs used the same parameter set/);
    const [runA, runB] = [await p.api.getRun(base), await p.api.getRun(rerun)];
    expect(c.a).toEqual({
      job_id: base,
      strategy: STRATEGY,
      environment: runA.environment,
      status: "completed",
      parameter_set_hash: runA.parameter_set_hash,
      parameter_set_schema: "tradai.parameter-set/2",
      task_definition: "fixture",
      code_version: "fixture-worker@1.0.0",
      platform_version: expect.any(String),
      created_at: runA.created_at,
      finished_at: runA.finished_at,
    });
    expect(c.b).toMatchObject({ job_id: rerun, parameter_set_hash: runA.parameter_set_hash });
    expect(c.metrics).toEqual([
      { name: "stake_amount", a: 1000, b: 1000, delta: 0 },
      { name: "total_return", a: 0, b: 0, delta: 0 },
      { name: "trade_count", a: 0, b: 0, delta: 0 },
    ]);
    expect(runB.metrics).toEqual(runA.metrics);
  });

  it("relaxed: only a key the catalog marks comparability: ignore differs (the stake)", async () => {
    const halfStake = await submitted({ stake_amount: 500 });
    const c = await compare(base, halfStake);
    expect(c.verdict).toBe("relaxed");
    expect(c.reasons).toEqual([
      {
        key: "stake_amount",
        kind: "ignored_value",
        effect: "relaxed",
        a: 1000,
        b: 500,
        message: expect.stringContaining('the catalog marks it "comparability: ignore" in both runs'),
      },
    ]);
    expect(c.metrics.find((m) => m.name === "stake_amount")).toEqual({
      name: "stake_amount",
      a: 1000,
      b: 500,
      delta: -500,
    });
  });

  it("relaxed: the same values under code a patch version apart", async () => {
    const patched = await submitted({ task_definition: "fixture-patched" });
    const c = await compare(base, patched);
    expect(c.verdict).toBe("relaxed");
    expect(reasons(c)).toEqual([
      ["code.version", "code_patch", "relaxed"],
      ["code.task_definition", "task_definition", "relaxed"],
    ]);
    expect(c.b).toMatchObject({ task_definition: "fixture-patched", code_version: "fixture-worker@1.0.3" });
  });

  it("forbidden: a different value of a used key", async () => {
    const wider = await submitted({ stoploss: -0.05 });
    const c = await compare(base, wider);
    expect(c.verdict).toBe("forbidden");
    expect(c.reasons).toEqual([
      expect.objectContaining({ key: "stoploss", kind: "value", effect: "forbidden", a: -0.02, b: -0.05 }),
    ]);
    expect(c.summary).toMatch(/^forbidden: 1 difference\(s\) make their results incomparable \(stoploss\)/);
  });

  it("forbidden: code a minor version apart", async () => {
    const next = await submitted({ task_definition: "fixture-next" });
    const c = await compare(next, base);
    expect(c.verdict).toBe("forbidden");
    expect(c.reasons[0]).toMatchObject({
      field: "code.version",
      kind: "code_version",
      effect: "forbidden",
      a: "fixture-worker@1.1.0",
      b: "fixture-worker@1.0.0",
    });
  });

  it("forbidden: a legacy run (its parameter set of schema 1, as an older platform left it)", async () => {
    const run = await p.api.getRun(base);
    const set = (await p.api.getParameterSet(run.parameter_set_hash)).parameter_set;
    const { catalog: _c, code: _code, uncatalogued: _u, deprecated_allowed: _d, sweep: _s, ...old } = set;
    const legacySet: ParameterSet = { ...old, schema: "tradai.parameter-set/1" };
    const hash = contentHash(legacySet as unknown as JsonValue);
    const legacy = randomUUID();
    await p.db.query(
      "INSERT INTO parameter_sets (hash, strategy_name, document, version_id) VALUES ($1, $2, $3::jsonb, NULL)",
      [hash, STRATEGY, JSON.stringify(legacySet)],
    );
    await p.db.query(
      `INSERT INTO runs SELECT * FROM jsonb_populate_record(NULL::runs,
         (SELECT to_jsonb(r) || jsonb_build_object('job_id', $2::text, 'parameter_set_hash', $3::text) FROM runs r WHERE job_id = $1))`,
      [base, legacy, hash],
    );
    const c = await compare(legacy, base);
    expect(c.verdict).toBe("forbidden");
    expect(reasons(c)).toEqual([["schema", "legacy", "forbidden"]]);
    expect(c.reasons[0]?.message).toMatch(/^run A uses a legacy parameter set \(tradai\.parameter-set\/1\)/);
    expect(c.a).toMatchObject({ job_id: legacy, parameter_set_schema: "tradai.parameter-set/1", code_version: null });
  });

  it("bad input: each problem names its query field (422 malformed or missing, 404 unknown, 403 out of scope)", async () => {
    const malformed = await p.http(`/api/v1/runs/compare?a=not-a-job&b=${base}`);
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([{ field: "a", location: "query", message: "must be a job id (UUID)" }]);

    const missing = await p.http(`/api/v1/runs/compare?a=${base}`);
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: "b", location: "query" })]);

    const unknown = randomUUID();
    const notFound = await p.http(`/api/v1/runs/compare?a=${base}&b=${unknown}`);
    expect(notFound.status).toBe(404);
    expect(notFound.type).toMatch(/^application\/problem\+json/);
    expect(notFound.body.detail).toBe(`b: no run ${unknown}`);
    expect(notFound.body.errors).toEqual([{ field: "b", location: "query", message: `no run ${unknown}` }]);

    // A reader limited to another environment may not see the runs.
    const environment = (await p.api.getRun(base)).environment;
    const other = (await p.api.listEnvironments()).items.find((e) => e.name !== environment)?.name as string;
    const token = await p.http(
      "/api/v1/tokens",
      postJson(JSON.stringify({ name: "elsewhere", roles: ["viewer"], environments: [other], expires_in_days: 1 })),
    );
    const outOfScope = await p.http(`/api/v1/runs/compare?a=${base}&b=${base}`, {
      headers: { authorization: `Bearer ${token.body.token}` },
    });
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.errors).toEqual([expect.objectContaining({ field: "a", location: "query" })]);
  });
});
