/**
 * Runs from before the migration, in a real browser against the real server: two legacy runs
 * registered through the API (tradai import runs) are marked "legacy" in the runs list, with where
 * they came from in the mark's title; a legacy run's page says where it was registered from,
 * offers no re-run (and says why), and shows every card without an error (no trace, no log, a
 * result the platform cannot read); comparing the two says forbidden, because of their legacy
 * parameter sets. A run of the platform carries no mark.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import {
  type ConsoleSession,
  expectAccessible,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";

const SOURCE = "finetune_runs.json";
const TITLE = (id: string) =>
  `registered from ${SOURCE} (id ${id}): from before the migration; not comparable, cannot be re-run`;

let session: ConsoleSession;
/** Legacy id → job id. */
const jobOf = new Map<string, string>();
/** A run of the platform (queued: no launcher), for contrast. */
let platformRun: string;

beforeAll(async () => {
  session = await startConsoleSession();
  const api = session.platform.api;
  const result = await api.importLegacyRuns({
    environment: "dev",
    source: SOURCE,
    runs: [
      {
        legacy_id: "501",
        strategy: "FTF",
        parameters: { stoploss: -0.05 },
        started_at: "2025-05-01T09:00:00Z",
        finished_at: "2025-05-01T11:00:00Z",
        status: "completed",
        metrics: { sharpe: 1.2 },
        author: "bob",
      },
      {
        legacy_id: "502",
        strategy: "FTF",
        parameters: { stoploss: -0.03, risk: { max_open_trades: 4 } },
        started_at: "2025-05-02T09:00:00Z",
        finished_at: "2025-05-02T10:30:00Z",
        status: "failed",
        metrics: { sharpe: 0.4 },
        // Where the legacy tool kept it: not in the platform's artifact store.
        result_location: "s3://legacy-results/finetune/502.json",
        author: "carol",
      },
    ],
    apply: true,
  });
  expect(result.outcome).toBe("applied");
  for (const run of result.runs) jobOf.set(run.legacy_id, run.job_id as string);
  platformRun = (await api.submitBacktest({ config: SEED_BACKTEST })).job_id;
});
afterAll(async () => {
  await session?.close();
});

const job = (legacyId: string) => jobOf.get(legacyId) as string;

async function openRun(page: Page, jobId: string) {
  await page.goto(`/runs/${jobId}`);
  await page.getByTestId("run-status").first().waitFor();
}

describe("legacy runs", () => {
  it("are marked legacy in the runs list, with where they came from in the mark's title", async () => {
    const page = await session.signedIn();
    await page.goto("/runs");
    await page.getByTestId("runs-table").waitFor();
    for (const id of ["501", "502"]) {
      const mark = page.locator(`tr[data-job-id="${job(id)}"]`).getByTestId("run-legacy-mark");
      await expect(mark.textContent()).resolves.toBe("legacy");
      await expect(mark.getAttribute("title")).resolves.toBe(TITLE(id));
    }
    // A run of the platform: no mark.
    const own = page.locator(`tr[data-job-id="${platformRun}"]`);
    await own.waitFor();
    await expect(own.getByTestId("run-legacy-mark").count()).resolves.toBe(0);
    await expect(page.getByTestId("run-legacy-mark").count()).resolves.toBe(2);
    await expectAccessible(page, "the runs list with legacy runs");
    await screenshot(page, "runs-legacy");
  });

  it("a legacy run's page: its origin, no re-run (and why), every card shown without an error", async () => {
    const page = await session.signedIn();
    await openRun(page, job("501"));
    await expect(page.getByTestId("run-legacy-origin").textContent()).resolves.toBe(
      `Registered from ${SOURCE}, legacy id 501`,
    );
    const mark = page.getByTestId("run-legacy-mark");
    await expect(mark.textContent()).resolves.toBe("legacy");
    await expect(mark.getAttribute("title")).resolves.toBe(TITLE("501"));
    await expect(page.getByTestId("run-status").textContent()).resolves.toBe("completed");

    // No re-run offered to an admin, who could re-run a platform run; the note says why.
    await expect(page.getByRole("button", { name: "Re-run identically" }).count()).resolves.toBe(0);
    await expect(page.getByTestId("rerun-unavailable").textContent()).resolves.toContain(
      "A legacy run cannot be re-run identically",
    );
    // Its PDF report (a run without a result: identity, legacy parameters, metrics).
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download PDF report" }).click(),
    ]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");

    // The cards: metrics as registered, the legacy parameter set, no result, no trace, no log.
    await expect(page.locator('[data-metric="sharpe"] dd').textContent()).resolves.toBe("1.2");
    await expect(page.locator('tr[data-parameter="stoploss"] td').nth(1).textContent()).resolves.toBe("-0.05");
    await expect(page.locator('tr[data-parameter="stoploss"] td').nth(2).textContent()).resolves.toBe("reported");
    await expect(page.getByTestId("parameter-set-legacy-schema").textContent()).resolves.toContain(
      "tradai.parameter-set/1",
    );
    await page.getByText("This run has no result (completed).").waitFor();
    await page.getByText("No trace: a legacy run was registered").waitFor();
    await page.getByText("No log: a legacy run's output stayed in the legacy system.").waitFor();
    await expect(page.getByRole("alert").count()).resolves.toBe(0);
    await expectAccessible(page, "a legacy run's page");
    await screenshot(page, "run-legacy");

    // A result where only the legacy tool could read it: said plainly, not an error.
    await openRun(page, job("502"));
    await expect(page.getByTestId("run-legacy-origin").textContent()).resolves.toBe(
      `Registered from ${SOURCE}, legacy id 502`,
    );
    await page
      .getByText("The legacy result stays in the legacy system, at s3://legacy-results/finetune/502.json")
      .waitFor();
    await page.getByText("No log: a legacy run's output stayed in the legacy system.").waitFor();
    await expect(page.getByRole("alert").count()).resolves.toBe(0);
    await expectAccessible(page, "a failed legacy run's page");

    // The server refuses it too: the console offers nothing it would refuse.
    const rerun = await session.platform.http(`/api/v1/backtests/${job("501")}/rerun`, { method: "POST" });
    expect(rerun.status).toBe(409);
    // A run of the platform is still offered the re-run, and has no mark.
    await openRun(page, platformRun);
    await page.getByRole("button", { name: "Re-run identically" }).waitFor();
    await expect(page.getByTestId("run-legacy-mark").count()).resolves.toBe(0);
    await expect(page.getByTestId("run-legacy-origin").count()).resolves.toBe(0);
  });

  it("comparing two legacy runs is forbidden, because of their legacy parameter sets", async () => {
    const page = await session.signedIn();
    await page.goto("/runs");
    await page.getByRole("checkbox", { name: `Compare run ${job("501")}` }).check();
    await page.getByRole("checkbox", { name: `Compare run ${job("502")}` }).check();
    await page.getByRole("button", { name: "Compare selected (2/2)" }).click();
    await page.waitForURL(/\/runs\/diff\?/);

    const verdict = page.getByTestId("comparability-verdict");
    await verdict.filter({ hasText: "forbidden" }).waitFor();
    await expect(verdict.getAttribute("data-verdict")).resolves.toBe("forbidden");
    const legacy = page.locator('table[aria-label="Comparability reasons"] tr[data-kind="legacy"] td');
    await expect(legacy.nth(0).textContent()).resolves.toBe("schema");
    await expect(legacy.nth(1).textContent()).resolves.toBe("forbidden");
    await expect(legacy.nth(2).textContent()).resolves.toBe("tradai.parameter-set/1");
    await expect(legacy.nth(3).textContent()).resolves.toBe("tradai.parameter-set/1");
    await expect(legacy.nth(4).textContent()).resolves.toContain("both runs use a legacy parameter set");
    // Both sides are marked; the values and metrics are still shown side by side.
    await expect(page.getByTestId("run-a").getByTestId("run-legacy-mark").textContent()).resolves.toBe("legacy");
    await expect(page.getByTestId("run-b").getByTestId("run-legacy-mark").textContent()).resolves.toBe("legacy");
    await page.locator('table[aria-label="Parameter differences"] tr[data-diff-path="stoploss"]').waitFor();
    await page.locator('table[aria-label="Metrics side by side"] tr[data-metric="sharpe"]').waitFor();
    await expectAccessible(page, "the comparison of two legacy runs");
    await screenshot(page, "runs-diff-legacy");
  });
});
