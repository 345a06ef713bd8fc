/**
 * Every page of the console on a 390x844 phone, in a real browser against the real server: none is
 * wider than the screen. Each route of routes.tsx is visited with real ids (the demo strategy, its
 * versions and pending change request; a run and a sweep of the fixture worker; a worker that sent
 * a heartbeat; an audit entry; a catalog parameter; an import), and the test fails naming the route
 * when the page scrolls sideways, or when routes.tsx gained a route this test does not visit.
 * A table wider than the phone scrolls inside its own box and says so ("scroll →").
 */
import { readFileSync } from "node:fs";
import { contentHash, formatConfigId } from "@tradai/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { type ConsoleSession, PHONE, screenshot, startConsoleSession } from "../../../test-support/browser.js";
import { eventually, FIXTURE_TASKS } from "../../../test-support/platform.js";

const DEMO = "MeanReversionDemo";
const FIXTURE = { ...SEED_BACKTEST, strategy: "PhoneStrategy", task_definition: "fixture" };

let session: ConsoleSession;
let signedIn: Page;
/**
 * Each route's pattern (as routes.tsx writes it), the URL visited for it, whether it is seen signed
 * out, and what to do there before measuring (open the widest state of the page).
 */
interface Visit {
  route: string;
  url: string;
  signedOut?: boolean;
  prepare?: (page: Page) => Promise<void>;
}
let visits: Visit[];

const completed = (jobId: string) =>
  eventually(async () => {
    const run = await session.platform.api.getRun(jobId);
    return ["completed", "failed"].includes(run.status) ? run : undefined;
  }, `run ${jobId} to end`);

beforeAll(async () => {
  session = await startConsoleSession({ TRADAI_LAUNCHER: "local", TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS });
  const { api, http } = session.platform;
  const demo = (await api.listStrategies()).items.find((s) => s.strategy_name === DEMO);
  const version = demo?.active.prod as string;
  const request = (await api.listChangeRequests({ status: "pending" })).items[0];
  // A run, and a sweep over the demo catalog's variants of rsi_period (three runs).
  const run = (await api.submitBacktest({ config: { ...FIXTURE, stoploss: -0.05 } })).job_id;
  const sweep = await api.submitSweep({
    config: { ...SEED_BACKTEST, task_definition: "fixture" },
    over: ["rsi_period"],
  });
  const other = sweep.runs[0]?.job_id as string;
  for (const id of [run, ...sweep.runs.map((r) => r.job_id)]) await completed(id);
  // A worker: its first heartbeat makes it known.
  const beat = await http("/api/v1/workers/phone-worker-1/heartbeat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ environment: "dev", applied: [] }),
  });
  expect(beat.status).toBe(204);
  // An import of a legacy registry with one version.
  const data = { stoploss: -0.03, timeframe: "1h" };
  const hash = contentHash(data);
  await api.importConfigVersions({
    environment: "dev",
    source: "phone-export.json",
    apply: true,
    items: [
      {
        strategy_name: "PhoneImported",
        config_id: formatConfigId(1, hash),
        config_hash: hash,
        config_data: data,
        status: "ACTIVE",
        version_number: 1,
        created_by: "legacy-author",
        created_at: "2025-03-01T00:00:00Z",
      },
    ],
  });
  const imported = (await api.listImports()).items[0]?.import_id as string;
  // A staged rollout of the demo strategy in dev, and a change scheduled for later.
  const devActive = demo?.active.dev as string;
  const rolled = (
    await api.createConfig({
      strategy_name: DEMO,
      config_data: { ...(await api.showConfig(DEMO, devActive)).config_data, note: "phone rollout" },
    })
  ).config_id;
  const rollout = await api.startRollout({
    strategy: DEMO,
    environment: "dev",
    config_id: rolled,
    steps: [
      { selector: "canary=true", bake_seconds: 3600 },
      { share: 1, bake_seconds: 0 },
    ],
    guards: [{ kind: "figure_vs_baseline", figure: "errors", ratio: 2, for_seconds: 120 }],
  });
  if (!("id" in rollout)) throw new Error("dev needs no approval");
  await api.scheduleChange({
    kind: "activation",
    strategy: DEMO,
    environment: "dev",
    config_id: rolled,
    at: "2031-01-05T06:30",
    time_zone: "America/New_York",
  });
  const entry = (await api.listAudit({ action: "config.create", limit: 1 })).items[0]?.seq;
  const s = encodeURIComponent(DEMO);
  visits = [
    { route: "/sign-in", url: "/sign-in", signedOut: true },
    { route: "/", url: "/" },
    { route: "strategies", url: "/strategies" },
    {
      route: "strategies/new",
      url: "/strategies/new",
      // The catalog strategy with the most parameters: its whole form.
      prepare: async (p) => {
        await p.getByLabel("Catalog policy", { exact: true }).selectOption("TradingPipeline");
      },
    },
    { route: "strategies/:strategy", url: `/strategies/${s}` },
    { route: "strategies/:strategy/edit", url: `/strategies/${s}/edit` },
    { route: "strategies/:strategy/versions", url: `/strategies/${s}/versions` },
    { route: "strategies/:strategy/versions/:configId", url: `/strategies/${s}/versions/${version}` },
    { route: "change-requests", url: "/change-requests" },
    { route: "change-requests/:id", url: `/change-requests/${request?.id}` },
    { route: "runs", url: "/runs" },
    { route: "runs/new", url: "/runs/new" },
    { route: "runs/diff", url: `/runs/diff?a=${run}&b=${other}` },
    { route: "runs/:jobId", url: `/runs/${run}` },
    { route: "sweeps/:sweepId", url: `/sweeps/${sweep.sweep_id}` },
    { route: "workers", url: "/workers" },
    { route: "workers/:workerId", url: "/workers/phone-worker-1" },
    { route: "rollouts", url: "/rollouts" },
    { route: "rollouts/:id", url: `/rollouts/${rollout.id}` },
    { route: "audit", url: "/audit" },
    { route: "audit/:seq", url: `/audit/${entry}` },
    { route: "catalog", url: "/catalog" },
    { route: "catalog/parameters/:name", url: "/catalog/parameters/stoploss" },
    { route: "imports", url: "/imports" },
    { route: "imports/:id", url: `/imports/${encodeURIComponent(imported)}` },
    { route: "admin", url: "/admin" },
    { route: "*", url: "/no-such-page" },
  ];
  signedIn = await session.signedIn(undefined, undefined, PHONE);
});
afterAll(async () => {
  await session?.close();
});

/** The page's content has arrived: a heading, and no loading skeleton left. */
async function settled(p: Page) {
  await p.locator("h1, h2").first().waitFor();
  await p.waitForFunction(() => document.querySelectorAll("main .animate-pulse").length === 0);
  // Charts and late cards lay out on the next frames.
  await p.waitForTimeout(300);
}

/** The outermost elements that reach past the right edge of the screen, as tag.class (for the failure message). */
function beyondTheEdge(p: Page): Promise<string> {
  return p.evaluate(() => {
    const outermost = Array.from(document.querySelectorAll("body *")).filter(
      (el) =>
        el.getBoundingClientRect().right > window.innerWidth + 0.5 &&
        !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 0.5),
    );
    return outermost
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${Array.from(el.classList).join(".")} in ${el.parentElement?.tagName.toLowerCase()}.${Array.from(el.parentElement?.classList ?? []).join(".")}`,
      )
      .join("; ");
  });
}

describe("every page on a 390x844 phone", () => {
  it("visits every route of routes.tsx", () => {
    const source = readFileSync(new URL("../src/app/routes.tsx", import.meta.url), "utf8");
    // The JSX routes, and the table of pages (`{ path: "runs", Page: RunsPage }`) they are made from.
    const routes = [...source.matchAll(/<Route\s+path="([^"]+)"|\{ path: "([^"]+)", Page:/g)].map(
      (m) => m[1] ?? m[2] ?? "",
    );
    expect(routes).toContain("/sign-in");
    expect(routes.length).toBeGreaterThan(20);
    expect(visits.map((v) => v.route).sort()).toEqual([...routes].sort());
  });

  it("no page is wider than the screen", async () => {
    const wide: string[] = [];
    const signedOut = await session.anonymous(PHONE);
    for (const { route, url, signedOut: anonymous, prepare } of visits) {
      const page = anonymous ? signedOut : signedIn;
      await page.goto(url);
      await settled(page);
      await prepare?.(page);
      await settled(page);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(innerWidth).toBe(PHONE.width);
      if (scrollWidth > innerWidth) {
        wide.push(`${route} (${url}): ${scrollWidth} px, beyond the edge: ${await beyondTheEdge(page)}`);
        await screenshot(page, `phone-wide-${route.replaceAll(/[^a-z]+/g, "-")}`);
      }
    }
    expect(wide, "pages wider than a 390 px phone").toEqual([]);
  });
});

/** The box around the table with this test id, its scrolling region, and its hint. */
function tableBox(p: Page, testId: string) {
  const box = p.locator("[data-table-scrolls]").filter({ has: p.getByTestId(testId) });
  return { box, region: box.getByRole("region"), hint: box.getByTestId("table-scroll-hint") };
}

/** How far right of the screen's edge the element's right side is (negative: inside). */
const pastTheEdge = (p: Page, selector: string) =>
  p
    .locator(selector)
    .first()
    .evaluate((el) => el.getBoundingClientRect().right - window.innerWidth);

describe("tables that scroll sideways say so", () => {
  it("on a phone, the dashboard's table hints at the prod column it hides, and the hint follows the scrolling", async () => {
    await signedIn.goto("/");
    const { box, region, hint } = tableBox(signedIn, "active-versions");
    await hint.waitFor();
    await expect(box.getAttribute("data-table-scrolls")).resolves.toBe("true");
    await expect(hint.textContent()).resolves.toBe("scroll →");
    await expect(box.getByTestId("table-scroll-fade").count()).resolves.toBe(1);
    const prod = '[data-testid="active-versions"] thead th:last-child';
    await expect(signedIn.locator(prod).textContent()).resolves.toContain("prod");
    expect(await pastTheEdge(signedIn, prod)).toBeGreaterThan(0);
    await expect(region.getAttribute("aria-label")).resolves.toBe(
      "Active version per strategy and environment (scrolls sideways)",
    );
    await screenshot(signedIn, "phone-dashboard-scroll-hint");

    await region.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await hint.filter({ hasText: /^← scroll$/ }).waitFor();
    await expect(box.getByTestId("table-scroll-fade").count()).resolves.toBe(0);
    expect(await pastTheEdge(signedIn, prod)).toBeLessThanOrEqual(0);
  });

  it("on a phone, the runs list hints too", async () => {
    await signedIn.goto("/runs");
    const { box, hint } = tableBox(signedIn, "runs-table");
    await hint.filter({ hasText: "scroll →" }).waitFor();
    await expect(box.getAttribute("data-table-scrolls")).resolves.toBe("true");
    const created = '[data-testid="runs-table"] thead th:last-child';
    await expect(signedIn.locator(created).textContent()).resolves.toBe("Created");
    expect(await pastTheEdge(signedIn, created)).toBeGreaterThan(0);
  });

  it("a table that fits shows no hint", async () => {
    const desktop = await session.signedIn();
    const { box, hint } = tableBox(desktop, "active-versions");
    await box.waitFor();
    await expect(box.getAttribute("data-table-scrolls")).resolves.toBe("false");
    await expect(hint.count()).resolves.toBe(0);
    await expect(box.getByRole("region").count()).resolves.toBe(0);
  });
});
