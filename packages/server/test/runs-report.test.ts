/**
 * The run report as a PDF (GET /api/v1/backtests/{job_id}/report.pdf), for a run the local
 * launcher really ran, for a run without results, and for an unknown run. The PDF's content
 * streams are inflated and their text read back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_BACKTEST } from "../../../test-support/backtest-requests.js";
import { pdfText } from "../../../test-support/pdf-text.js";
import { eventually, FIXTURE_TASKS, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`run report PDF (${backend})`, () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS });
    const version = (await p.api.createConfig({ strategy_name: "FixtureStrategy", config_data: { stoploss: -0.02 } }))
      .config_id;
    await p.api.activate("FixtureStrategy", version);
  });
  afterAll(() => p.close());

  const report = (jobId: string, authorization = ADMIN_AUTHORIZATION) =>
    fetch(`${p.url}/api/v1/backtests/${jobId}/report.pdf`, { headers: { authorization } });

  it("a completed run: a PDF with its identity, parameters with provenance, metrics and equity", async () => {
    const { job_id } = await p.api.submitBacktest({
      config: { ...FIXTURE_BACKTEST, config_version_id: "ACTIVE" } as never,
    });
    const run = await eventually(async () => {
      const r = await p.api.getRun(job_id);
      return r.status === "completed" ? r : undefined;
    }, `run ${job_id} to complete`);

    const response = await report(job_id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="tradai-run-${job_id}.pdf"`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(bytes);
    expect(text).toContain(job_id);
    expect(text).toContain(run.parameter_set_hash);
    expect(text).toContain(run.config_version_id as string);
    expect(text).toContain("FixtureStrategy");
    // A parameter from the config version, with its value and where it came from.
    const stoploss = text.split("\n").indexOf("stoploss");
    expect(stoploss).toBeGreaterThan(-1);
    expect(text.split("\n").slice(stoploss, stoploss + 3)).toEqual(["stoploss", "-0.02", "config_version"]);
    expect(text).toContain("stake_amount");
    // Metrics as a trader reads them, each with its key; the fixture worker names no data source.
    const lines = text.split("\n");
    const metric = (key: string) => lines.slice(lines.indexOf(key) - 2, lines.indexOf(key) + 1);
    expect(metric("trade_count")).toEqual(["Trades", "0", "trade_count"]);
    expect(metric("total_return")).toEqual(["Total return", "0.00%", "total_return"]);
    expect(text).toContain("Metrics (money in USDT)");
    expect(text).toContain("not reported by the worker");
    expect(text).not.toContain("Synthetic prices");
    expect(text).toContain("1 point(s), equity from 1,000.00 to 1,000.00 USDT");
  });

  it("a run without results still gets a report that says so", async () => {
    const { job_id } = await p.api.submitBacktest({
      config: { ...FIXTURE_BACKTEST, fixture_mode: "fail" } as never,
    });
    await eventually(async () => ((await p.api.getRun(job_id)).status === "failed" ? true : undefined), "failure");
    const response = await report(job_id);
    expect(response.status).toBe(200);
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain(job_id);
    expect(text).toContain("This run has no results (status failed).");
    expect(text).toContain("This run has no equity curve (status failed).");
  });

  it("an unknown run: 404 problem+json; no credentials: 401", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const response = await report(unknown);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, detail: `no run ${unknown}` });
    const anonymous = await fetch(`${p.url}/api/v1/backtests/${unknown}/report.pdf`);
    expect(anonymous.status).toBe(401);
  });

  it("is in the OpenAPI document as a PDF download", async () => {
    const doc = await p.http("/api/v1/openapi.json");
    const get = doc.body.paths["/api/v1/backtests/{job_id}/report.pdf"]?.get;
    expect(Object.keys(get.responses["200"].content)).toEqual(["application/pdf"]);
  });
});
