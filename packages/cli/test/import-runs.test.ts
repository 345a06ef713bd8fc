/**
 * `tradai import runs` against a real `tradai serve` process: rows of the legacy `finetune_runs`
 * table (a JSON export of it) and result files of the results bucket (a local S3-compatible server)
 * become ended runs of kind `legacy`. The dry run writes nothing; --apply registers them once (a
 * second --apply changes nothing); they are marked legacy in the API, no comparison judges them
 * comparable, and none can be re-run; a run still running is refused, naming the row and column.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { type FakeS3, startFakeS3 } from "../../../test-support/fake-s3.js";
import { type CliTestServer, runCli, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;
let s3: FakeS3;
let exportFile: string;

const AWS = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "eu-central-1" };
const cli = (...args: string[]) => runCli(args, { url: t.server.url, env: AWS });
const api = async (path: string, init: RequestInit = {}) => {
  const response = await adminFetch(`${t.server.url}${path}`, init);
  return { status: response.status, body: await response.json() };
};

interface RunView {
  job_id: string;
  kind: string;
  status: string;
  legacy: { source: string; id: string } | null;
  metrics: Record<string, unknown> | null;
  submitted_by: string;
  created_at: string;
  finished_at: string | null;
  result_location: string | null;
}
const legacyRuns = async () =>
  ((await api("/api/v1/backtests?limit=500")).body.items as RunView[]).filter((r) => r.kind === "legacy");

/** 12 finetune runs of FTF by two people; run 7 failed. */
function finetuneRuns() {
  return Array.from({ length: 12 }, (_, i) => ({
    id: 500 + i,
    params: JSON.stringify({ stoploss: -0.05 - i / 100, rsi_period: 14 }),
    metrics: { sharpe: 1 + i / 10, max_drawdown: 0.1 },
    status: i === 7 ? "error" : "done",
    started_at: new Date(Date.UTC(2025, 4, 1 + i, 9)).toISOString(),
    finished_at: new Date(Date.UTC(2025, 4, 1 + i, 11)).toISOString(),
    created_by: i % 2 ? "alice" : "bob",
  }));
}

beforeAll(async () => {
  t = await startCliTestServer();
  s3 = await startFakeS3();
  exportFile = join(t.files, "finetune_runs.json");
  writeFileSync(exportFile, JSON.stringify({ finetune_runs: finetuneRuns() }));
  for (const [strategy, date, job, sharpe] of [
    ["StochRsiStrategy", "2025-03-02", "job-a1", 1.4],
    ["StochRsiStrategy", "2025-03-09", "job-a2", 0.9],
    ["MomentumStrategy", "20250310", "job-b1", 2.1],
  ] as const) {
    s3.objects.set(
      `tradai-results-dev/backtests/${strategy}/${date}/${job}.json`,
      JSON.stringify({ config_version_id: "v3-0a1b2c3d", parameters: { timeframe: "1h" }, sharpe, total_trades: 40 }),
    );
  }
});

afterAll(async () => {
  await s3?.close();
  await t?.close();
});

describe(`tradai import runs (${backend})`, () => {
  it("plans by default and writes nothing; --apply registers each finetune run once, marked legacy", async () => {
    const source = ["--file", exportFile, "--strategy", "FTF", "--env", "dev"];
    const dry = await cli("import", "runs", ...source);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain("read 12 legacy run(s)");
    expect(dry.stdout).toMatch(/^DRY RUN/);
    expect(dry.stdout).toContain("12 legacy run(s) to register in dev");
    expect(await legacyRuns()).toEqual([]);

    const applied = JSON.parse(t.ok(await cli("--json", "import", "runs", ...source, "--apply")));
    expect(applied).toMatchObject({ outcome: "applied", registered: 12, already: 0 });
    const runs = await legacyRuns();
    expect(runs).toHaveLength(12);
    const failed = runs.find((r) => r.legacy?.id === "507");
    expect(failed).toMatchObject({
      status: "failed",
      submitted_by: "alice",
      created_at: "2025-05-08T09:00:00.000Z",
      finished_at: "2025-05-08T11:00:00.000Z",
      legacy: { source: exportFile, id: "507" },
      metrics: { sharpe: 1.7, max_drawdown: 0.1 },
    });

    const again = await cli("import", "runs", ...source, "--apply");
    expect(again.stdout).toMatch(/^UNCHANGED/);
    expect(await legacyRuns()).toHaveLength(12);

    // No comparison judges a legacy run comparable; none can be re-run.
    const [a, b] = runs;
    const compared = await api(`/api/v1/runs/compare?a=${a?.job_id}&b=${b?.job_id}`);
    expect(compared.status).toBe(200);
    expect(JSON.stringify(compared.body)).toContain('"kind":"legacy"');
    expect(compared.body.verdict).toBe("forbidden");
    const rerun = await api(`/api/v1/backtests/${a?.job_id}/rerun`, { method: "POST" });
    expect(rerun.status).toBe(409);
    expect(rerun.body.detail).toContain("is a legacy run");
  });

  it("result files of the results bucket become legacy runs, with their location", async () => {
    const applied = JSON.parse(
      t.ok(
        await cli(
          "--json",
          "import",
          "runs",
          "--results",
          "s3://tradai-results-dev/backtests/",
          "--s3-endpoint",
          s3.url,
          "--env",
          "dev",
          "--apply",
        ),
      ),
    );
    expect(applied).toMatchObject({ registered: 3 });
    const run = (await legacyRuns()).find((r) => r.legacy?.id === "job-b1");
    expect(run).toMatchObject({
      status: "completed",
      created_at: "2025-03-10T00:00:00.000Z",
      result_location: "s3://tradai-results-dev/backtests/MomentumStrategy/20250310/job-b1.json",
      metrics: { sharpe: 2.1, total_trades: 40 },
    });
    // Its result stays in the legacy system: the report has its metrics; the curve is not read.
    const report = await adminFetch(`${t.server.url}/api/v1/backtests/${run?.job_id}/report.pdf`);
    expect(report.status).toBe(200);
    const equity = await api(`/api/v1/backtests/${run?.job_id}/equity`);
    expect(equity.status).toBe(409);
    expect(equity.body.detail).toContain("stays in the legacy system");
    const trace = await api(`/api/v1/backtests/${run?.job_id}/trace`);
    expect(trace.status).toBe(409);
    expect(trace.body.detail).toContain("no trace");
  });

  it("a run that has not ended is refused, naming the row and column; nothing is written", async () => {
    const bad = join(t.files, "running.json");
    writeFileSync(
      bad,
      JSON.stringify([{ id: 1, strategy: "FTF", params: {}, status: "running", started_at: "2025-01-01T00:00:00Z" }]),
    );
    const before = (await legacyRuns()).length;
    const refused = await cli("import", "runs", "--file", bad, "--apply");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('finetune_runs row 1, status: status "running" is neither finished nor failed');
    expect(await legacyRuns()).toHaveLength(before);
  });
});
