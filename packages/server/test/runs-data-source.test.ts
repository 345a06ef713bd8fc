/**
 * What the numbers are: runs of the reference worker (the local launcher really runs it) on
 * synthetic candles and on candle files carry `data_source`, in the API and in the PDF report,
 * whose metrics read as a trader reads them; the recorded source never changes afterwards.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Run } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { FIXTURE_BACKTEST, SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { pdfText } from "../../../test-support/pdf-text.js";
import { eventually, FIXTURE_TASKS, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const REFERENCE_BACKTEST = { ...SEED_BACKTEST, task_definition: "tradai-strategy-stochrsi" };

async function runToEnd(p: TestPlatform, config: Record<string, unknown>): Promise<Run> {
  const { job_id } = await p.api.submitBacktest({ config: config as never });
  return eventually(async () => {
    const run = await p.api.getRun(job_id);
    return ["completed", "failed", "cancelled"].includes(run.status) ? run : undefined;
  }, `run ${job_id} to end`);
}

async function reportText(p: TestPlatform, jobId: string): Promise<string> {
  const response = await fetch(`${p.url}/api/v1/backtests/${jobId}/report.pdf`, {
    headers: { authorization: ADMIN_AUTHORIZATION },
  });
  expect(response.status).toBe(200);
  return pdfText(Buffer.from(await response.arrayBuffer()));
}

/** The value the report prints next to a metric's key (rows read label, value, key). */
const reported = (text: string, key: string) => {
  const lines = text.split("\n");
  return lines[lines.indexOf(key) - 1];
};

describe(`data source of runs on synthetic candles (${backend})`, () => {
  let p: TestPlatform;
  let run: Run;

  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS });
    run = await runToEnd(p, REFERENCE_BACKTEST);
  });
  afterAll(() => p.close());

  it("a reference-worker run without market data is synthetic, in the run and in the list", async () => {
    expect(run).toMatchObject({ status: "completed", data_source: "synthetic" });
    const listed = (await p.api.listRuns({ strategy: "StochRsiStrategy" })).items.find((r) => r.job_id === run.job_id);
    expect(listed?.data_source).toBe("synthetic");
  });

  it("its PDF says so on every page and shows the metrics as percentages, money and counts", async () => {
    const text = await reportText(p, run.job_id);
    const m = (key: string) => (run.metrics as Record<string, number>)[key] as number;
    expect(text).toContain("Synthetic prices: not a market result");
    expect(text).toContain("synthetic (generated candles): not a market result");
    const money = (v: number) =>
      `${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`;
    expect(reported(text, "max_drawdown")).toBe(`${(m("max_drawdown") * 100).toFixed(2)}%`);
    expect(reported(text, "total_return")).toBe(`${(m("total_return") * 100).toFixed(2)}%`);
    expect(reported(text, "win_rate")).toBe(`${(m("win_rate") * 100).toFixed(2)}%`);
    expect(reported(text, "final_balance")).toBe(money(m("final_balance")));
    expect(reported(text, "starting_balance")).toBe(money(m("starting_balance")));
    expect(reported(text, "trade_count")).toBe(String(m("trade_count")));
    expect(reported(text, "sharpe")).toBe(m("sharpe").toFixed(2));
    // No raw float is printed.
    for (const key of ["max_drawdown", "total_return", "final_balance", "sharpe"])
      if (!Number.isInteger(m(key))) expect(text).not.toContain(String(m(key)));
  });

  it("a worker that names no data source leaves it unknown", async () => {
    const fixture = await runToEnd(p, FIXTURE_BACKTEST);
    expect(fixture).toMatchObject({ status: "completed", data_source: null });
    expect(await reportText(p, fixture.job_id)).not.toContain("Synthetic prices");
  });

  it("the recorded data source cannot be changed or given to an ended run", async () => {
    await expect(p.db.query("UPDATE runs SET data_source = 'market' WHERE job_id = $1", [run.job_id])).rejects.toThrow(
      /data source of run .* is recorded \(synthetic\)/,
    );
    const fixture = (await p.api.listRuns({ strategy: "FixtureStrategy" })).items[0] as Run;
    await expect(
      p.db.query("UPDATE runs SET data_source = 'market' WHERE job_id = $1", [fixture.job_id]),
    ).rejects.toThrow(/cannot change/);
    await expect(
      p.db.query("UPDATE runs SET data_source = 'real' WHERE job_id = $1", [fixture.job_id]),
    ).rejects.toThrow();
    expect((await p.api.getRun(run.job_id)).data_source).toBe("synthetic");
  });
});

describe(`data source of runs on candle files (${backend})`, () => {
  let p: TestPlatform;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradai-candles-"));
    const rows = ["timestamp,open,high,low,close,volume"];
    const start = Date.parse("2025-01-01T00:00:00Z");
    for (let i = 0; i < 31 * 24; i++) {
      const close = 100 + 10 * Math.sin(i / 12);
      rows.push(`${start + i * 3_600_000},${close},${close + 1},${close - 1},${close},10`);
    }
    writeFileSync(join(dir, "BTC_USDT_USDT-1h.csv"), `${rows.join("\n")}\n`);
    p = await startTestPlatform({ TRADAI_LAUNCHER: "local", TRADAI_MARKET_DATA_DIR: dir });
  });
  afterAll(() => p.close());

  it("a reference-worker run on candle files is a market run, and its PDF has no banner", async () => {
    const run = await runToEnd(p, REFERENCE_BACKTEST);
    expect(run).toMatchObject({ status: "completed", data_source: "market" });
    const text = await reportText(p, run.job_id);
    expect(text).not.toContain("Synthetic prices");
    expect(text).toContain("market candles");
  });
});
