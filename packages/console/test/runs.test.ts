/**
 * Runs in a real browser against the real server with the local launcher: the fixture worker
 * (test-support/fixture-worker.mjs) really runs as a child process. Submit, watch it finish,
 * detail (metrics, equity chart, log, trace), re-run, diff with comparability (strict, relaxed,
 * forbidden), PDF download, validation, filters; and a run of the reference worker on synthetic
 * candles, flagged as such on its page and in the list.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_BACKTEST, SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import {
  type ConsoleSession,
  expectAccessible,
  expectNoHorizontalOverflow,
  PHONE,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";
import { eventually, FIXTURE_TASKS } from "../../../test-support/platform.js";

const STRATEGY = "FixtureStrategy";
let session: ConsoleSession;
let environment: string;
let version: string;

beforeAll(async () => {
  session = await startConsoleSession({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS });
  const api = session.platform.api;
  environment = (await api.listEnvironments()).items.find((e) => e.is_default)?.name as string;
  // The version makes each run last ~3 s (fixture_seconds), so the page can be seen following it.
  version = (await api.createConfig({ strategy_name: STRATEGY, config_data: { stoploss: -0.02, fixture_seconds: 3 } }))
    .config_id;
  await session.platform.activateApproved(STRATEGY, version, environment);
});
afterAll(async () => {
  await session?.close();
});

const runCount = async () => (await session.platform.api.listRuns({ limit: 1 })).total;
const jobIdOf = (page: Page) => new URL(page.url()).pathname.split("/").at(-1) as string;
const completed = (jobId: string) =>
  eventually(async () => {
    const run = await session.platform.api.getRun(jobId);
    return run.status === "completed" ? run : undefined;
  }, `run ${jobId} to complete`);

async function fillForm(page: Page, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    const control = page.getByLabel(label, { exact: true });
    if ((await control.evaluate((el) => el.tagName)) === "SELECT") await control.selectOption(value);
    else await control.fill(value);
  }
}

describe("runs", () => {
  let first: string;
  let rerun: string;

  it("submits a backtest in the form and follows it to completion without reload", async () => {
    const page = await session.signedIn();
    await page.goto("/runs");
    await page.getByRole("link", { name: "Submit a backtest" }).click();
    await page.getByRole("heading", { name: "Submit a backtest" }).waitFor();
    await fillForm(page, {
      Strategy: STRATEGY,
      "Config version": "ACTIVE",
      Timeframe: "1h",
      "Stake amount": "1000",
      "Task definition": "fixture",
      Experiment: "console-e2e",
    });
    await expectAccessible(page, "the submit form");
    await screenshot(page, "submit-run");
    const before = await runCount();
    await page.getByRole("button", { name: "Submit backtest" }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    first = jobIdOf(page);
    expect(await runCount()).toBe(before + 1);

    // Live: the same page shows running (the worker reports 10%), then completed at 100%.
    const status = page.getByTestId("run-status");
    await status.filter({ hasText: "running" }).waitFor();
    await page.getByTestId("run-progress").filter({ hasText: "10%" }).first().waitFor();
    await status.filter({ hasText: "completed" }).waitFor({ timeout: 30_000 });
    await page.getByTestId("run-progress").filter({ hasText: "100%" }).first().waitFor();

    const run = await completed(first);
    expect(run).toMatchObject({ config_version_id: version, experiment_name: "console-e2e", progress: 100 });
    await expect(page.getByTestId("run-config-version").textContent()).resolves.toBe(version);
    await expect(page.getByTestId("run-parameter-set-hash").textContent()).resolves.toBe(run.parameter_set_hash);

    // Metrics as the worker reported them, the equity chart, the log, the trace.
    await expect(page.locator('[data-metric="stake_amount"] dd').textContent()).resolves.toBe("1000");
    await expect(page.locator('[data-metric="trade_count"] dd').textContent()).resolves.toBe("0");
    await page.getByTestId("equity-chart").locator("svg").first().waitFor();
    await expect(page.getByTestId("equity-summary").textContent()).resolves.toMatch(
      /^1 point\(s\) .* equity 1,000 → 1,000/,
    );
    await page
      .getByTestId("run-log")
      .filter({ hasText: `fixture worker ${first} mode=ok` })
      .waitFor();
    await expect(page.getByTestId("trace-verdict").textContent()).resolves.toMatch(/^All points agree/);
    const points = page.getByRole("table", { name: "Trace points" }).locator("tbody tr");
    await expect(points.count()).resolves.toBe(5);
    for (const point of ["launch_input", "worker_environment", "run_record", "result_json", "tags"]) {
      await expect(page.locator(`tr[data-point="${point}"] td`).nth(1).textContent()).resolves.toBe("yes");
    }
    // The parameter set with provenance: stoploss from the version, stake from the request.
    const stoploss = page.locator('tr[data-parameter="stoploss"] td');
    await expect(stoploss.nth(1).textContent()).resolves.toBe("-0.02");
    await expect(stoploss.nth(2).textContent()).resolves.toBe("config_version");
    await expect(page.locator('tr[data-parameter="stake_amount"] td').nth(2).textContent()).resolves.toBe("request");
    await expectAccessible(page, "the run page");
    await screenshot(page, "run");

    // The PDF report.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download PDF report" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`tradai-run-${first}.pdf`);
    const bytes = readFileSync(await download.path());
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // Re-run identically: a new run on the same parameter set, shown.
    await page.getByRole("button", { name: "Re-run identically" }).click();
    await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(first));
    rerun = jobIdOf(page);
    await page.getByTestId("run-status").filter({ hasText: "completed" }).waitFor({ timeout: 30_000 });
    const again = await completed(rerun);
    expect(again).toMatchObject({ rerun_of: first, parameter_set_hash: run.parameter_set_hash });
    await expect(page.getByTestId("run-parameter-set-hash").textContent()).resolves.toBe(run.parameter_set_hash);
    await page.getByRole("link", { name: first }).waitFor();
  });

  it("says when a run's prices are synthetic: a badge on its page and in the list", async () => {
    const api = session.platform.api;
    // The reference worker, with no market data configured, runs on generated candles.
    const config = { ...SEED_BACKTEST, end_date: "2025-01-08", task_definition: "tradai-strategy-stochrsi" };
    const synthetic = (await api.submitBacktest({ config })).job_id;
    expect((await completed(synthetic)).data_source).toBe("synthetic");

    const page = await session.signedIn();
    await page.goto(`/runs/${synthetic}`);
    await page.getByTestId("run-status").filter({ hasText: "completed" }).waitFor();
    const badge = page.getByTestId("run-data-source");
    await expect(badge.textContent()).resolves.toBe("synthetic prices: not a market result");
    await expectAccessible(page, "the page of a run on synthetic prices");
    await screenshot(page, "run-synthetic");
    // The fixture worker names no data source: no badge at all.
    await page.goto(`/runs/${first}`);
    await page.getByTestId("run-status").filter({ hasText: "completed" }).waitFor();
    await expect(badge.count()).resolves.toBe(0);

    await page.goto("/runs?strategy=StochRsiStrategy");
    const row = page.locator(`tr[data-job-id="${synthetic}"]`);
    await row.waitFor();
    await expect(row.getByTestId("run-data-source").textContent()).resolves.toBe(
      "synthetic prices: not a market result",
    );
    await expectAccessible(page, "the runs list with a run on synthetic prices");
    await screenshot(page, "runs-synthetic");
  });

  it("diffs two runs: picked on the list, parameters and metrics side by side", async () => {
    const api = session.platform.api;
    const other = (await api.submitBacktest({ config: { ...FIXTURE_BACKTEST, stoploss: -0.05, stake_amount: 500 } }))
      .job_id;
    await completed(other);
    const page = await session.signedIn();
    await page.goto(`/runs?strategy=${STRATEGY}`);
    await page.getByRole("checkbox", { name: `Compare run ${first}` }).check();
    await page.getByRole("checkbox", { name: `Compare run ${other}` }).check();
    await page.getByRole("button", { name: "Compare selected (2/2)" }).click();
    await page.waitForURL(/\/runs\/diff\?/);
    const url = new URL(page.url());
    expect([url.searchParams.get("a"), url.searchParams.get("b")].sort()).toEqual([first, other].sort());

    const [runA, runB] = [
      await api.getRun(url.searchParams.get("a") as string),
      await api.getRun(url.searchParams.get("b") as string),
    ];
    const diff = await session.platform.http(
      `/api/v1/parameter-sets/${runA.parameter_set_hash}/diff/${runB.parameter_set_hash}`,
    );
    expect([diff.body.changed.stoploss.old, diff.body.changed.stoploss.new].sort((x, y) => x - y)).toEqual([
      -0.05, -0.02,
    ]);
    const row = page.locator('table[aria-label="Parameter differences"] tr[data-diff-path="stoploss"] td');
    await expect(row.nth(1).textContent()).resolves.toBe("changed");
    await expect(row.nth(2).textContent()).resolves.toBe(String(diff.body.changed.stoploss.old));
    await expect(row.nth(3).textContent()).resolves.toBe(String(diff.body.changed.stoploss.new));
    const stake = page.locator('table[aria-label="Metrics side by side"] tr[data-metric="stake_amount"] td');
    await expect(stake.nth(1).textContent()).resolves.toBe(String(runA.metrics?.stake_amount));
    await expect(stake.nth(2).textContent()).resolves.toBe(String(runB.metrics?.stake_amount));
    expect([runA.metrics?.stake_amount, runB.metrics?.stake_amount].map(Number).sort((x, y) => x - y)).toEqual([
      500, 1000,
    ]);
    // B - A, signed: +500 or −500 depending on which run the list made A.
    const stakeDelta = Number(runB.metrics?.stake_amount) - Number(runA.metrics?.stake_amount);
    await expect(stake.nth(3).textContent()).resolves.toBe(stakeDelta > 0 ? `+${stakeDelta}` : `−${-stakeDelta}`);

    // Comparability, stated: another stoploss makes their results incomparable, and says so key by key.
    await expect(page.getByTestId("comparability-verdict").textContent()).resolves.toBe("forbidden");
    await expect(page.getByTestId("comparability-summary").textContent()).resolves.toMatch(
      /^forbidden: \d+ difference/,
    );
    const stoplossReason = page.locator('table[aria-label="Comparability reasons"] tr[data-reason="stoploss"] td');
    await expect(stoplossReason.nth(1).textContent()).resolves.toBe("forbidden");
    await expect(stoplossReason.nth(4).textContent()).resolves.toContain("the runs did not use the same parameters");
    await expectAccessible(page, "the runs diff page");
    await screenshot(page, "runs-diff");

    // The identical re-run: the same parameter set, no differences: strict.
    await page.goto(`/runs/diff?a=${first}&b=${rerun}`);
    await page.getByTestId("same-parameter-set").waitFor();
    await page.getByText("No differences.").first().waitFor();
    await page.getByTestId("comparability-verdict").filter({ hasText: "strict" }).waitFor();
    await expect(page.getByTestId("comparability-summary").textContent()).resolves.toMatch(
      /^strict: both runs used the same parameter set/,
    );
    await expect(page.getByRole("table", { name: "Comparability reasons" }).count()).resolves.toBe(0);
    await expect(
      page.locator('table[aria-label="Metrics side by side"] tr[data-metric="stake_amount"] td').nth(3).textContent(),
    ).resolves.toBe("0");
  });

  it("states a relaxed comparison: only a stake the catalog marks comparability: ignore differs", async () => {
    const api = session.platform.api;
    // The demo catalog describes stake_amount for StochRsiStrategy; now for this strategy too, ignorable
    // (critical, so the edit is approved by someone else). The strategy's other keys stay free.
    const stakeAmount = (await api.getParameter("stake_amount")).parameter;
    await session.platform.approved(api.setCatalogPolicy(STRATEGY, "open"));
    await session.platform.approved(
      api.updateParameter({
        ...stakeAmount,
        strategies: [...stakeAmount.strategies, STRATEGY],
        comparability: "ignore",
      }),
    );
    const submit = async (stake: number) =>
      (await api.submitBacktest({ config: { ...FIXTURE_BACKTEST, stoploss: -0.05, stake_amount: stake } })).job_id;
    const [a, b] = [await submit(500), await submit(250)];
    await completed(a);
    await completed(b);

    const page = await session.signedIn();
    await page.goto(`/runs/diff?a=${a}&b=${b}`);
    await page.getByTestId("comparability-verdict").filter({ hasText: "relaxed" }).waitFor();
    const reasons = page.locator('table[aria-label="Comparability reasons"] tbody tr');
    await expect(reasons.count()).resolves.toBe(1);
    const stake = page.locator('table[aria-label="Comparability reasons"] tr[data-reason="stake_amount"] td');
    await expect(stake.nth(1).textContent()).resolves.toBe("relaxed");
    await expect(stake.nth(2).textContent()).resolves.toBe("500");
    await expect(stake.nth(3).textContent()).resolves.toBe("250");
    await expect(stake.nth(4).textContent()).resolves.toContain('"comparability: ignore" in both runs');
    const metric = page.locator('table[aria-label="Metrics side by side"] tr[data-metric="stake_amount"] td');
    await metric.nth(3).filter({ hasText: "−250" }).waitFor();
    await expectAccessible(page, "a relaxed comparison");
    await screenshot(page, "runs-compare-relaxed");
  });

  it("shows a sweep as one table: a row per grid point with its values, status, prices and metrics", async () => {
    const api = session.platform.api;
    const mine = { strategies: [STRATEGY], group: "console_sweep" };
    await session.platform.approved(
      api.createParameter({
        name: "console_sweep.level",
        type: "enum",
        allowed: ["a", "b", "c"],
        description: "L",
        ...mine,
      }),
    );
    await session.platform.approved(
      api.createParameter({ name: "console_sweep.trail", type: "bool", description: "T", ...mine }),
    );
    const submitted = await api.submitSweep({
      config: { ...FIXTURE_BACKTEST, stoploss: -0.05 },
      over: ["console_sweep.level", "console_sweep.trail"],
    });
    expect(submitted.runs).toHaveLength(6);
    for (const r of submitted.runs) await completed(r.job_id);

    const page = await session.signedIn();
    // From a run of the sweep to the sweep.
    await page.goto(`/runs/${submitted.runs[0]?.job_id}`);
    await page.getByTestId("run-sweep").getByRole("link", { name: submitted.sweep_id }).click();
    await page.getByRole("heading", { name: `Sweep ${submitted.sweep_id.slice(0, 8)}` }).waitFor();
    await page.getByText("6 of 6 runs ended").waitFor();
    const table = page.getByTestId("sweep-table");
    const rows = table.locator("tbody tr");
    await expect(rows.count()).resolves.toBe(6);
    const sweep = await api.getSweep(submitted.sweep_id);
    for (const run of sweep.runs) {
      const row = table.locator(`tr[data-job-id="${run.job_id}"]`);
      await expect(row.locator('[data-cell="point:console_sweep.level"]').textContent()).resolves.toBe(
        run.point["console_sweep.level"],
      );
      await expect(row.locator('[data-cell="point:console_sweep.trail"]').textContent()).resolves.toBe(
        String(run.point["console_sweep.trail"]),
      );
      await expect(row.locator('[data-cell="metric:trade_count"]').textContent()).resolves.toBe(
        String(run.metrics?.trade_count),
      );
    }
    await expectAccessible(page, "a sweep");
    await screenshot(page, "sweep");
  });

  it("shows validation errors at the field before anything is sent, and the server's after", async () => {
    const page = await session.signedIn();
    await page.goto("/runs/new");
    const before = await runCount();
    await fillForm(page, { Strategy: "", "Stake amount": "-5" });
    await page.getByRole("button", { name: "Submit backtest" }).click();
    const stake = page.getByLabel("Stake amount", { exact: true });
    await expect(stake.getAttribute("aria-invalid")).resolves.toBe("true");
    const stakeError = page.locator(`#${(await stake.getAttribute("aria-describedby"))?.split(" ").at(-1)}`);
    await expect(stakeError.textContent()).resolves.toBe("must be positive");
    await expect(page.getByLabel("Strategy", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");
    expect(new URL(page.url()).pathname).toBe("/runs/new");
    expect(await runCount()).toBe(before);

    // Valid for the schema, refused by the server after the merge: its message at the field it names.
    await fillForm(page, {
      Strategy: STRATEGY,
      "Start date": "2025-03-01",
      "End date": "2025-02-01",
      Timeframe: "1h",
      "Stake amount": "1000",
      "Task definition": "fixture",
    });
    await page.getByRole("button", { name: "Submit backtest" }).click();
    const start = page.getByLabel("Start date", { exact: true });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[aria-invalid="true"]')).some((el) => el.getAttribute("type") === "date"),
    );
    const startError = page.locator(`#${(await start.getAttribute("aria-describedby"))?.split(" ").at(-1)}`);
    await expect(startError.textContent()).resolves.toMatch(/must be before end_date/);
    expect(new URL(page.url()).pathname).toBe("/runs/new");
    expect(await runCount()).toBe(before);
  });

  it("filters narrow the list and stay in the URL", async () => {
    const api = session.platform.api;
    const failed = (await api.submitBacktest({ config: { ...FIXTURE_BACKTEST, fixture_mode: "fail" } })).job_id;
    await eventually(async () => ((await api.getRun(failed)).status === "failed" ? true : undefined), "the failure");
    const page = await session.signedIn();
    await page.goto("/runs");
    await page.getByRole("table", { name: "Runs" }).waitFor();
    await expectAccessible(page, "the runs page");
    await screenshot(page, "runs");

    await page.getByLabel("Status", { exact: true }).selectOption("failed");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=failed/);
    const rows = page.getByRole("table", { name: "Runs" }).locator("tbody tr");
    const failedTotal = (await api.listRuns({ status: "failed" })).total;
    await page
      .getByTestId("runs-count")
      .filter({ hasText: `of ${failedTotal}` })
      .waitFor();
    await page.locator(`tr[data-job-id="${failed}"]`).waitFor();
    for (const badge of await page.getByTestId("run-status").all())
      await expect(badge.textContent()).resolves.toBe("failed");

    const hash = (await api.getRun(first)).parameter_set_hash;
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Parameter set hash", { exact: true }).fill(hash);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`parameter_set_hash=${hash}`));
    await page.getByTestId("runs-count").filter({ hasText: "of 2" }).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-job-id")).sort());
    expect(shown).toEqual([first, rerun].sort());

    // Reloading keeps the filter (it lives in the URL).
    await page.reload();
    await page.getByTestId("runs-count").filter({ hasText: "of 2" }).waitFor();
    await expect(page.getByLabel("Parameter set hash", { exact: true }).inputValue()).resolves.toBe(hash);

    // Pages of the list, also in the URL.
    const total = (await api.listRuns({ strategy: STRATEGY })).total;
    expect(total).toBeGreaterThanOrEqual(4);
    await page.goto(`/runs?strategy=${STRATEGY}&limit=2`);
    await page
      .getByTestId("runs-count")
      .filter({ hasText: `1–2 of ${total}` })
      .waitFor();
    const firstPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-job-id")));
    const newest = (await api.listRuns({ strategy: STRATEGY, limit: 4 })).items.map((r) => r.job_id);
    expect(firstPage).toEqual(newest.slice(0, 2));
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(/offset=2/);
    await page
      .getByTestId("runs-count")
      .filter({ hasText: `3–4 of ${total}` })
      .waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-job-id")))).toEqual(
      newest.slice(2, 4),
    );
    await page.getByRole("button", { name: "Previous" }).click();
    await page
      .getByTestId("runs-count")
      .filter({ hasText: `1–2 of ${total}` })
      .waitFor();
  });

  it("cancels a running run from its page", async () => {
    const api = session.platform.api;
    const sleeper = (await api.submitBacktest({ config: { ...FIXTURE_BACKTEST, fixture_mode: "sleep" } })).job_id;
    const page = await session.signedIn();
    await page.goto(`/runs/${sleeper}`);
    await page.getByTestId("run-status").filter({ hasText: "running" }).waitFor();
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByTestId("run-status").filter({ hasText: "cancelled" }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "Cancel run" }).count()).resolves.toBe(0);
    expect((await api.getRun(sleeper)).status).toBe("cancelled");
  });

  it("a viewer is offered no submit, re-run or cancel, but can read and download", async () => {
    const viewer = await session.platform.user("runs-viewer", "viewer");
    const page = await session.signedIn(viewer.username, viewer.password);
    await page.goto("/runs");
    await page.getByRole("table", { name: "Runs" }).waitFor();
    await expect(page.getByRole("link", { name: "Submit a backtest" }).count()).resolves.toBe(0);
    await page.goto(`/runs/${first}`);
    await page.getByTestId("run-status").filter({ hasText: "completed" }).waitFor();
    await page.getByRole("link", { name: "Download PDF report" }).waitFor();
    await expect(page.getByRole("button", { name: "Re-run identically" }).count()).resolves.toBe(0);
    await page.goto("/runs/new");
    await page.getByText("Your role may not submit runs.").waitFor();
    await expect(page.getByRole("button", { name: "Submit backtest" }).count()).resolves.toBe(0);
  });

  it("works on a phone", async () => {
    const page = await session.signedIn(undefined, undefined, PHONE);
    await page.goto("/runs");
    await page.getByRole("table", { name: "Runs" }).waitFor();
    await expectNoHorizontalOverflow(page, "the runs list on a phone");
    await screenshot(page, "phone-runs");
  });
});
