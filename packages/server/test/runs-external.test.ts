/** Runs tracked in MLflow and stored in S3: both through real HTTP to stand-in servers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_BACKTEST as BASE } from "../../../test-support/backtest-requests.js";
import { type FakeMlflow, startFakeMlflow } from "../../../test-support/fake-mlflow.js";
import { type FakeS3, startFakeS3 } from "../../../test-support/fake-s3.js";
import { eventually, FIXTURE_TASKS, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`MLflow tracking and S3 results (${backend})`, () => {
  let p: TestPlatform;
  let mlflow: FakeMlflow;
  let s3: FakeS3;
  let version: string;

  beforeAll(async () => {
    mlflow = await startFakeMlflow();
    s3 = await startFakeS3();
    process.env.AWS_ACCESS_KEY_ID = "test";
    process.env.AWS_SECRET_ACCESS_KEY = "test";
    p = await startTestPlatform({
      TRADAI_LAUNCHER: "local",
      TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS,
      MLFLOW_TRACKING_URI: mlflow.url,
      TRADAI_RESULTS_BUCKET: "tradai-results-test",
      TRADAI_S3_ENDPOINT: s3.url,
    });
    version = (await p.api.createConfig({ strategy_name: "FixtureStrategy", config_data: { stoploss: -0.02 } }))
      .config_id;
  });
  afterAll(async () => {
    await p.close();
    await mlflow.close();
    await s3.close();
  });

  const runToEnd = async (config: Record<string, unknown>, experiment?: string) => {
    const { job_id } = await p.api.submitBacktest({
      config: { ...BASE, ...config } as never,
      ...(experiment ? { experiment_name: experiment } : {}),
    });
    return eventually(async () => {
      const run = await p.api.getRun(job_id);
      return ["completed", "failed", "cancelled"].includes(run.status) ? run : undefined;
    }, `run ${job_id}`);
  };

  it("stores the result in the bucket at backtests/<strategy>/<date>/<job_id>.json and reads it back", async () => {
    const run = await runToEnd({ config_version_id: version }, "config-version-test");
    expect(run.status).toBe("completed");
    const key = `tradai-results-test/backtests/FixtureStrategy/${run.created_at.slice(0, 10)}/${run.job_id}.json`;
    expect(run.result_location).toBe(`s3://${key}`);
    expect(JSON.parse(s3.objects.get(key) ?? "{}")).toMatchObject({ job_id: run.job_id, config_version_id: version });
    expect((await p.api.runEquity(run.job_id)).equity_curve).toHaveLength(1);
  });

  it("creates the MLflow run under its experiment with the platform's tags; the trace checks them", async () => {
    const run = await runToEnd({ config_version_id: version }, "tracked");
    expect(run.mlflow_run_id).toBeTruthy();
    expect(run.mlflow_error).toBeNull();
    const tracked = mlflow.runs.get(run.mlflow_run_id as string);
    expect(tracked?.experiment_id).toBe(mlflow.experiments.get("tracked"));
    expect(tracked?.tags).toMatchObject({
      config_version_id: version,
      parameter_set_hash: run.parameter_set_hash,
      job_id: run.job_id,
    });
    expect(tracked).toMatchObject({ status: "FINISHED", metrics: { trade_count: 0, stake_amount: 1000 } });
    const trace = await p.api.traceRun(run.job_id);
    expect(trace.points.map((pt) => pt.point)).toContain("mlflow_tags");
    expect(trace.consistent).toBe(true);
  });

  it("a run without a version has no config_version_id tag in MLflow", async () => {
    const run = await runToEnd({});
    const tracked = mlflow.runs.get(run.mlflow_run_id as string);
    expect(tracked?.tags).not.toHaveProperty("config_version_id");
    expect(tracked?.tags.parameter_set_hash).toBe(run.parameter_set_hash);
    expect((await p.api.traceRun(run.job_id)).consistent).toBe(true);
  });

  it("a failing MLflow never fails the run; the failure is recorded and the trace shows it", async () => {
    mlflow.failWith = 503;
    try {
      const run = await runToEnd({ config_version_id: version });
      expect(run.status).toBe("completed");
      expect(run.mlflow_run_id).toBeNull();
      expect(run.mlflow_error).toMatch(/answered 503/);
      const trace = await p.api.traceRun(run.job_id);
      expect(trace.points.find((pt) => pt.point === "mlflow_tags")).toMatchObject({ present: false, agrees: false });
      expect(trace.consistent).toBe(false);
    } finally {
      mlflow.failWith = undefined;
    }
  });
});
