/**
 * The local launcher with real child processes (the fixture worker): outcomes, the five
 * propagation points, cancellation, run tokens, and leases of launchers that died.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_BACKTEST as BASE } from "../../../test-support/backtest-requests.js";
import { eventually, FIXTURE_TASKS, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { hashRunToken, type Launcher } from "../src/features/runs/launcher/local-launcher.js";
import { launcherFor, runRuntime } from "../src/features/runs/runtime.js";
import { runStore } from "../src/features/runs/store.js";
import { loadSettings } from "../src/settings.js";

const ENDED = ["completed", "failed", "cancelled"];

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(`local launcher (${backend})`, () => {
  let p: TestPlatform;
  let version: string;

  beforeAll(async () => {
    p = await startTestPlatform({
      TRADAI_LAUNCHER: "local",
      TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS,
      TRADAI_RUN_CONCURRENCY: "2",
      TRADAI_RUN_LEASE_SECONDS: "2",
      TRADAI_CANCEL_GRACE_SECONDS: "1",
      TRADAI_MARKET_DATA_DIR: "/srv/candles",
    });
    version = (await p.api.createConfig({ strategy_name: "FixtureStrategy", config_data: { stoploss: -0.02 } }))
      .config_id;
    await p.api.activate("FixtureStrategy", version);
  });
  afterAll(() => p.close());

  async function submit(config: Record<string, unknown> = {}): Promise<string> {
    return (await p.api.submitBacktest({ config: { ...BASE, ...config } as never })).job_id;
  }
  const ended = (jobId: string) =>
    eventually(async () => {
      const run = await p.api.getRun(jobId);
      return ENDED.includes(run.status) ? run : undefined;
    }, `run ${jobId} to end`);
  const running = (jobId: string) =>
    eventually(async () => {
      const run = await p.api.getRun(jobId);
      return run.status === "running" ? run : undefined;
    }, `run ${jobId} to run`);

  it("runs a bound run to completion; all five points agree", async () => {
    const run = await ended(await submit({ config_version_id: "ACTIVE" }));
    expect(run).toMatchObject({
      status: "completed",
      progress: 100,
      exit_code: 0,
      attempts: 1,
      config_version_id: version,
    });
    expect(run.metrics).toMatchObject({ stake_amount: 1000 });
    expect(run.result_location).toMatch(
      new RegExp(`backtests/FixtureStrategy/\\d{4}-\\d{2}-\\d{2}/${run.job_id}\\.json$`),
    );
    const trace = await p.api.traceRun(run.job_id);
    expect(trace.consistent).toBe(true);
    expect(trace.points.map((pt) => pt.point)).toEqual([
      "launch_input",
      "worker_environment",
      "run_record",
      "result_json",
      "tags",
    ]);
    for (const point of trace.points)
      expect(point).toMatchObject({ present: true, config_version_id: version, agrees: true });
    const logs = await p.api.runLogs(run.job_id);
    expect(logs.lines.map((l) => l.line)).toContain(`fixture worker ${run.job_id} mode=ok`);
    const equity = await p.api.runEquity(run.job_id);
    expect(equity.equity_curve).toHaveLength(1);
  });

  it("a run without a version has no version at any point, and still agrees", async () => {
    const run = await ended(await submit());
    expect(run.status).toBe("completed");
    const trace = await p.api.traceRun(run.job_id);
    expect(trace.consistent).toBe(true);
    for (const point of trace.points) expect(point.config_version_id).toBeNull();
    const { rows } = await p.db.query<{ worker_environment: Record<string, string> }>(
      "SELECT worker_environment FROM runs WHERE job_id = $1",
      [run.job_id],
    );
    expect(rows[0]?.worker_environment).not.toHaveProperty("CONFIG_VERSION_ID");
    expect(rows[0]?.worker_environment).toMatchObject({
      TRADING_MODE: "backtest",
      TIMERANGE: "20250101-20250201",
      PAIRS: "BTC/USDT:USDT",
    });
  });

  it("a worker that fails: failed, with its last stderr line", async () => {
    const run = await ended(await submit({ fixture_mode: "fail" }));
    expect(run).toMatchObject({ status: "failed", exit_code: 4 });
    expect(run.error).toMatch(/exited with code 4: fixture failure: the strategy blew up/);
    expect((await p.api.traceRun(run.job_id)).consistent).toBe(false);
  });

  it("a worker that exits 0 without a result: failed, saying so", async () => {
    const run = await ended(await submit({ fixture_mode: "no_result" }));
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/no readable result/);
  });

  it("a result naming another parameter set: failed, and the trace shows the disagreement", async () => {
    const run = await ended(await submit({ fixture_mode: "wrong_hash", config_version_id: "ACTIVE" }));
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/result rejected: the result names parameter set 0000/);
    const trace = await p.api.traceRun(run.job_id);
    expect(trace.consistent).toBe(false);
    expect(trace.points.find((pt) => pt.point === "result_json")).toMatchObject({
      agrees: false,
      parameter_set_hash: "0".repeat(64),
    });
  });

  it("cancel of a queued run: cancelled at once, never started", async () => {
    // Fill both slots, then queue one more and cancel it.
    const blockers = [await submit({ fixture_mode: "sleep" }), await submit({ fixture_mode: "sleep" })];
    await Promise.all(blockers.map(running));
    const queued = await submit();
    const cancelled = await p.api.cancelRun(queued);
    expect(cancelled.status).toBe("cancelled");
    for (const id of blockers) await p.api.cancelRun(id);
    await Promise.all(blockers.map(ended));
    const after = await p.api.getRun(queued);
    expect(after).toMatchObject({ status: "cancelled", started_at: null, attempts: 0 });
  });

  it("cancel of a running run: SIGTERM stops the worker, the run is cancelled", async () => {
    const jobId = await submit({ fixture_mode: "sleep" });
    await running(jobId);
    const { rows } = await p.db.query<{ worker_pid: number }>("SELECT worker_pid FROM runs WHERE job_id = $1", [jobId]);
    const pid = rows[0]?.worker_pid as number;
    expect(processAlive(pid)).toBe(true);
    await p.api.cancelRun(jobId);
    const run = await ended(jobId);
    expect(run).toMatchObject({ status: "cancelled", error: "cancelled while running" });
    expect(processAlive(pid)).toBe(false);
  });

  it("a worker that ignores SIGTERM is killed after the grace period", async () => {
    const jobId = await submit({ fixture_mode: "ignore_sigterm" });
    await running(jobId);
    await eventually(async () => ((await p.api.runLogs(jobId)).lines.length > 0 ? true : undefined), "first log line");
    await p.api.cancelRun(jobId);
    const run = await ended(jobId);
    expect(run.status).toBe("cancelled");
    expect((await p.api.runLogs(jobId)).lines.map((l) => l.line)).toContain("ignoring SIGTERM");
  });

  it("cancelling an ended run: 409", async () => {
    const run = await ended(await submit());
    const res = await p.http(`/api/v1/backtests/${run.job_id}/cancel`, { method: "POST" });
    expect(res.status).toBe(409);
  });

  it("progress needs the run's own token", async () => {
    const jobId = await submit({ fixture_mode: "sleep" });
    await running(jobId);
    await eventually(
      async () => ((await p.api.getRun(jobId)).progress === 10 ? true : undefined),
      "the worker's report",
    );
    const post = (auth?: string) =>
      p.http(`/api/v1/backtests/${jobId}/progress`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ progress: 55 }),
      });
    expect((await post()).status).toBe(401);
    expect((await post("Bearer wrong-token")).status).toBe(401);
    const bad = await p.http(`/api/v1/backtests/${jobId}/progress`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer x" },
      body: JSON.stringify({ progress: 150 }),
    });
    expect(bad.status).toBe(422);
    expect((await p.api.getRun(jobId)).progress).toBe(10); // what the worker itself reported
    await p.api.cancelRun(jobId);
    await ended(jobId);
  });

  it("re-run gives a new run on the same parameter set with the same metrics", async () => {
    const first = await ended(await submit({ config_version_id: "ACTIVE" }));
    const again = await p.api.rerun(first.job_id);
    const second = await ended(again.job_id);
    expect(second).toMatchObject({
      status: "completed",
      parameter_set_hash: first.parameter_set_hash,
      rerun_of: first.job_id,
    });
    expect(second.metrics).toEqual(first.metrics);
  });
});

describe(`leases of launchers that died (${backend})`, () => {
  let p: TestPlatform;
  const launchers: Launcher[] = [];
  const env = {
    TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS,
    TRADAI_RUN_LEASE_SECONDS: "2",
    TRADAI_CANCEL_GRACE_SECONDS: "1",
  };

  beforeAll(async () => {
    p = await startTestPlatform(env); // no launcher: the test decides who claims what
  });
  afterAll(async () => {
    await Promise.all(launchers.map((l) => l.stop()));
    await p.close();
  });

  function startRealLauncher(): Launcher {
    const settings = loadSettings({ ...env, TRADAI_WORK_DIR: mkdtempSync(join(tmpdir(), "tradai-work-")) });
    const launcher = launcherFor(settings, p.db, runRuntime(settings), p.url, pino({ level: "silent" }));
    launchers.push(launcher);
    return launcher;
  }
  const ended = (jobId: string) =>
    eventually(async () => {
      const run = await p.api.getRun(jobId);
      return ENDED.includes(run.status) ? run : undefined;
    }, `run ${jobId} to end`);

  it("a running run whose launcher stopped renewing its lease is failed with a reason", async () => {
    const store = runStore(p.db);
    const { job_id: jobId } = await p.api.submitBacktest({ config: { ...BASE, fixture_mode: "sleep" } as never });
    expect((await store.claimNext("dead-launcher", 1, hashRunToken("t")))?.job_id).toBe(jobId);
    expect(await store.markRunning(jobId, "dead-launcher", 999_999)).toBe(true);
    startRealLauncher();
    const run = await ended(jobId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(
      /launcher dead-launcher stopped renewing its lease at .*; the worker's outcome is unknown/,
    );
  });

  it("a run claimed by a launcher that died before starting it is claimed again and completes", async () => {
    const store = runStore(p.db);
    const { job_id: jobId } = await p.api.submitBacktest({ config: { ...BASE } as never });
    expect((await store.claimNext("dead-before-start", 1, hashRunToken("t")))?.job_id).toBe(jobId);
    if (launchers.length === 0) startRealLauncher();
    const run = await ended(jobId);
    expect(run).toMatchObject({ status: "completed", attempts: 2 });
    expect(run.started_at).not.toBeNull();
  });
});
