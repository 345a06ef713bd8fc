/**
 * Backtest submission: version resolution (explicit, ACTIVE, none), merge with provenance,
 * parameter sets, and every refusal. No launcher runs here: runs stay queued.
 */
import type { SubmitBacktestBody } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST as SEED_REQUEST } from "../../../test-support/backtest-requests.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`backtest submission (${backend})`, () => {
  let p: TestPlatform;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    p = await startTestPlatform();
    v1 = (
      await p.api.createConfig({
        strategy_name: "StochRsiStrategy",
        config_data: { timeframe: "1h", stoploss: -0.02, stake_amount: 150 },
      })
    ).config_id;
    v2 = (
      await p.api.createConfig({
        strategy_name: "StochRsiStrategy",
        config_data: { timeframe: "1h", stoploss: -0.05, stake_amount: 150, rsi_period: 21 },
      })
    ).config_id;
    await p.api.activate("StochRsiStrategy", v1);
  });
  afterAll(() => p.close());

  const submit = (config: Record<string, unknown>, extra: Partial<SubmitBacktestBody> = {}, env?: string) =>
    p.http(`/api/v1/backtests${env ? `?environment=${env}` : ""}`, postJson(JSON.stringify({ config, ...extra })));

  it("ACTIVE: resolves the active version, merges stoploss, keeps the explicit stake (seed steps 4-5)", async () => {
    const res = await submit(
      { ...SEED_REQUEST, config_version_id: "ACTIVE" },
      { experiment_name: "config-version-test" },
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: "queued",
      config_version_id: v1,
      merged_from_config_version: ["stoploss"],
    });
    const ps = await p.api.getParameterSet(res.body.parameter_set_hash);
    expect(ps.parameter_set.values).toMatchObject({ stoploss: -0.02, stake_amount: 1000, timeframe: "1h" });
    expect(ps.parameter_set.provenance).toMatchObject({
      stoploss: "config_version",
      stake_amount: "request",
      timeframe: "request",
    });
    expect(ps.parameter_set).toMatchObject({ config_version_id: v1, strategy: "StochRsiStrategy", launcher: "local" });
    // The submission is audited with what the launcher is asked to start.
    const audited = await p.api.listAudit({ action: "run.submit", target_id: res.body.job_id });
    expect(audited.items).toEqual([
      expect.objectContaining({
        actor: "admin",
        environment: "dev",
        after: expect.objectContaining({ parameter_set_hash: res.body.parameter_set_hash, config_version_id: v1 }),
      }),
    ]);
    const run = await p.api.getRun(res.body.job_id);
    expect(run).toMatchObject({
      status: "queued",
      config_version_id: v1,
      experiment_name: "config-version-test",
      task_definition: "tradai-strategy-stochrsi",
    });
    expect(run.tags).toMatchObject({ config_version_id: v1, parameter_set_hash: res.body.parameter_set_hash });
  });

  it("an explicit id binds that version, active or not", async () => {
    const res = await submit({ ...SEED_REQUEST, config_version_id: v2 });
    expect(res.body).toMatchObject({ config_version_id: v2, merged_from_config_version: ["rsi_period", "stoploss"] });
  });

  it("without a version: no version fields anywhere, nothing merged", async () => {
    const res = await submit(SEED_REQUEST);
    expect(res.status).toBe(202);
    expect(res.body).not.toHaveProperty("config_version_id");
    const run = await p.http(`/api/v1/backtests/${res.body.job_id}`);
    expect(run.body).not.toHaveProperty("config_version_id");
    expect(run.body.tags).not.toHaveProperty("config_version_id");
    const ps = await p.api.getParameterSet(res.body.parameter_set_hash);
    expect(ps.parameter_set).not.toHaveProperty("config_version_id");
    expect(ps.parameter_set).not.toHaveProperty("config_hash");
    const { rows } = await p.db.query<{ launch_input: Record<string, unknown> }>(
      "SELECT launch_input FROM runs WHERE job_id = $1",
      [res.body.job_id],
    );
    expect(rows[0]?.launch_input).not.toHaveProperty("config_version_id");
  });

  it("identical resolved parameters share one parameter set; runs can be listed by it", async () => {
    const a = await submit({ ...SEED_REQUEST, config_version_id: v2 });
    const b = await submit({ ...SEED_REQUEST, config_version_id: v2 }, { experiment_name: "other", priority: 7 });
    expect(a.body.parameter_set_hash).toBe(b.body.parameter_set_hash);
    expect(a.body.job_id).not.toBe(b.body.job_id);
    const { rows } = await p.db.query("SELECT 1 FROM parameter_sets WHERE hash = $1", [a.body.parameter_set_hash]);
    expect(rows).toHaveLength(1);
    const sharing = await p.api.listRuns({ parameter_set_hash: a.body.parameter_set_hash });
    expect(sharing.items.map((r) => r.job_id)).toEqual(expect.arrayContaining([a.body.job_id, b.body.job_id]));
    expect((await p.api.getParameterSet(a.body.parameter_set_hash)).run_count).toBe(sharing.total);
  });

  it("diff of two parameter sets lists exactly the changed keys", async () => {
    const a = await submit({ ...SEED_REQUEST, config_version_id: v1 });
    const b = await submit({ ...SEED_REQUEST, config_version_id: v2 });
    const diff = await p.api.diffParameterSets(a.body.parameter_set_hash, b.body.parameter_set_hash);
    expect(diff.changed).toEqual({ stoploss: { old: -0.02, new: -0.05 } });
    expect(diff.added).toEqual({ rsi_period: 21 });
    expect(diff.removed).toEqual({});
    expect(diff.context).toMatchObject({ config_version_id: { old: v1, new: v2 } });
  });

  it("execution settings such as task_definition may come from config data (not the seed's bug #332)", async () => {
    const v = (
      await p.api.createConfig({
        strategy_name: "Custom",
        config_data: { task_definition: "tradai-strategy-stochrsi-dev", stake_amount: 10 },
      })
    ).config_id;
    const res = await submit({
      strategy: "Custom",
      symbols: ["ETH/USDT"],
      timeframe: "4h",
      start_date: "2025-01-01",
      end_date: "2025-01-10",
      exchange: "x",
      config_version_id: v,
    });
    expect(res.status).toBe(202);
    expect((await p.api.getRun(res.body.job_id)).task_definition).toBe("tradai-strategy-stochrsi-dev");
  });

  it("rerun binds the same parameter set, not the now-active version", async () => {
    const first = await submit({ ...SEED_REQUEST, config_version_id: "ACTIVE" });
    await p.api.activate("StochRsiStrategy", v2);
    const rerun = await p.http(`/api/v1/backtests/${first.body.job_id}/rerun`, { method: "POST" });
    expect(rerun.status).toBe(202);
    expect(rerun.body).toMatchObject({ parameter_set_hash: first.body.parameter_set_hash, config_version_id: v1 });
    expect((await p.api.getRun(rerun.body.job_id)).rerun_of).toBe(first.body.job_id);
    await p.api.activate("StochRsiStrategy", v1);
  });

  describe("refusals leave no run and no parameter set", () => {
    async function counts() {
      const { rows } = await p.db.query(
        "SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM parameter_sets) AS sets",
      );
      return rows[0];
    }
    async function refused(
      body: Record<string, unknown>,
      status: number,
      field?: string,
      env?: string,
      extra: Record<string, unknown> = {},
    ) {
      const before = await counts();
      const res = await submit(body, extra, env);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.type).toContain("application/problem+json");
      if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
      return res.body;
    }

    it("a deprecated version: 409", async () => {
      const v = (await p.api.createConfig({ strategy_name: "StochRsiStrategy", config_data: { stoploss: -0.9 } }))
        .config_id;
      await p.api.deprecateConfig("StochRsiStrategy", v);
      expect((await refused({ ...SEED_REQUEST, config_version_id: v }, 409)).detail).toMatch(/deprecated/);
    });
    it("ACTIVE with no active version: 409 naming strategy and environment", async () => {
      const body = await refused({ ...SEED_REQUEST, config_version_id: "ACTIVE" }, 409, undefined, "prod");
      expect(body.detail).toMatch(/StochRsiStrategy/);
      expect(body.detail).toMatch(/prod/);
    });
    it("an unknown version: 404", async () => {
      await refused({ ...SEED_REQUEST, config_version_id: "v99-00000000" }, 404);
    });
    it("a malformed version id: 422", async () => {
      await refused({ ...SEED_REQUEST, config_version_id: "latest" }, 422, "config.config_version_id");
    });
    it("start_date not before end_date: 422", async () => {
      await refused({ ...SEED_REQUEST, start_date: "2025-02-01", end_date: "2025-02-01" }, 422, "config.start_date");
    });
    it("an unknown timeframe: 422", async () => {
      await refused({ ...SEED_REQUEST, timeframe: "7h" }, 422, "config.timeframe");
    });
    it("an unknown timeframe coming from the config version: 422 saying so", async () => {
      const v = (await p.api.createConfig({ strategy_name: "StochRsiStrategy", config_data: { timeframe: "7h" } }))
        .config_id;
      const { timeframe: _, ...rest } = SEED_REQUEST;
      const body = await refused({ ...rest, config_version_id: v }, 422, "config.timeframe");
      expect(body.detail).toMatch(new RegExp(`from config version ${v}`));
    });
    it("empty symbols: 422", async () => {
      await refused({ ...SEED_REQUEST, symbols: [] }, 422, "config.symbols");
    });
    it("a setting missing after the merge: 422 naming it, at once", async () => {
      const { stake_amount: _, ...rest } = SEED_REQUEST;
      const body = await refused({ ...rest, strategy: "StochRsiStrategy" }, 422, "config.stake_amount");
      expect(body.detail).toMatch(/missing/);
    });
    it("an unknown task definition: 422", async () => {
      await refused({ ...SEED_REQUEST, task_definition: "no-such-task" }, 422, "config.task_definition");
    });
    it("a strategy with no default worker and no task definition: 422", async () => {
      await refused({ ...SEED_REQUEST, strategy: "Unknown" }, 422, "config.task_definition");
    });
    it("an unknown environment: 422", async () => {
      await refused(SEED_REQUEST, 422, "environment", "qa");
    });
    it("a bad priority and unknown top-level fields: 422", async () => {
      await refused(SEED_REQUEST, 422, "priority", undefined, { priority: 1000 });
      await refused(SEED_REQUEST, 422, "job_id", undefined, { job_id: "mine" });
    });
    it("an invalid calendar date: 422", async () => {
      await refused({ ...SEED_REQUEST, start_date: "2025-02-30" }, 422, "config.start_date");
    });
  });

  it("unknown runs and parameter sets: 404; malformed ids: 422", async () => {
    expect((await p.http("/api/v1/backtests/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await p.http("/api/v1/backtests/not-a-uuid")).status).toBe(422);
    expect((await p.http(`/api/v1/parameter-sets/${"a".repeat(64)}`)).status).toBe(404);
    expect((await p.http("/api/v1/parameter-sets/xyz")).status).toBe(422);
  });
});
