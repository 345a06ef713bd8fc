/** The audit trail (filters, chain status, entry detail, restore) and the workers view, in a real browser against the real server. */
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  expectNoHorizontalOverflow,
  PHONE,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";
import { eventually } from "../../../test-support/platform.js";

const STRATEGY = "MeanReversionDemo";

let session: ConsoleSession;
const subscribers: ConfigSubscriber[] = [];
beforeAll(async () => {
  // A worker more than 2 s behind the active version is lagging (the default is 30 s).
  session = await startConsoleSession({ TRADAI_WORKER_LAG_SECONDS: "2" });
});
afterAll(async () => {
  for (const s of subscribers) await s.stop();
  await session?.close();
});

const api = () => session.platform.api;

/** A new version of the demo strategy: the dev content with `note` set (and any other changes). */
async function version(note: string, changes: Record<string, unknown> = {}): Promise<string> {
  const active = (await api().listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.dev;
  const data = (await api().showConfig(STRATEGY, active as string)).config_data;
  return (await api().createConfig({ strategy_name: STRATEGY, config_data: { ...data, ...changes, note } })).config_id;
}

const activeIn = async (environment: string) =>
  (await api().listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active[environment] ?? null;

/** The seq of the newest entry with this action and target. */
async function entrySeq(action: string, targetId: string): Promise<number> {
  const entry = (await api().listAudit({ action, target_id: targetId, limit: 1 })).items[0];
  if (!entry) throw new Error(`no ${action} entry for ${targetId}`);
  return entry.seq;
}

const rows = (page: Page) => page.getByTestId("audit-entries").locator("tbody tr");
const rangeText = (page: Page) => page.getByTestId("audit-range").textContent();

/** Waits until the table's rows all carry this attribute value and the range says `total`. */
async function waitForFiltered(page: Page, attribute: string, value: string, total: number) {
  await page
    .getByTestId("audit-range")
    .filter({ hasText: ` of ${total} matching` })
    .waitFor();
  const values = await rows(page).evaluateAll((trs, a) => trs.map((tr) => tr.getAttribute(a)), attribute);
  expect(values.length).toBe(Math.min(total, 25));
  expect(new Set(values)).toEqual(new Set([value]));
}

describe("audit trail", () => {
  it("lists what the platform wrote, newest first, and says the chain is intact with the API's count", async () => {
    const created = await version("audit-list");
    await session.platform.activateApproved(STRATEGY, created, "dev");
    const page = await session.signedIn();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("heading", { name: "Audit trail" }).waitFor();
    await rows(page).first().waitFor();

    // Newest first: the very same page the API gives.
    const listed = await api().listAudit({ limit: 25 });
    const seqs = await rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-seq"))));
    expect(seqs).toEqual(listed.items.map((e) => e.seq));
    await expect(rangeText(page)).resolves.toBe(`1–25 of ${listed.total}`);
    // The activation and the creation just made are there, as the platform recorded them.
    const activation = rows(page)
      .filter({ hasText: `${STRATEGY}/${created}` })
      .filter({ hasText: "config.activate" });
    await expect(activation.getAttribute("data-actor")).resolves.toBe("admin");
    await expect(activation.locator("td").nth(5).textContent()).resolves.toBe("dev");
    await rows(page)
      .filter({ hasText: `${STRATEGY}/${created}` })
      .filter({ hasText: "config.create" })
      .waitFor();

    const verified = await api().verifyAudit();
    expect(verified.ok).toBe(true);
    const status = page.getByTestId("chain-status");
    await expect(status.getAttribute("data-ok")).resolves.toBe("true");
    await status.getByRole("heading", { name: "Audit chain intact" }).waitFor();
    await expect(page.getByTestId("chain-summary").textContent()).resolves.toBe(
      `${verified.entries_checked} entries checked, head seq ${verified.head_seq}: every hash and link holds.`,
    );
    expect(verified.entries_checked).toBe(listed.total);
    await expectAccessible(page, "the audit trail");
    await screenshot(page, "audit");

    // Older: the second page, as the API pages it.
    await page.getByRole("button", { name: "Older" }).click();
    await page.waitForURL(/offset=25/);
    const second = await api().listAudit({ limit: 25, offset: 25 });
    await expect
      .poll(() => rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-seq")))))
      .toEqual(second.items.map((e) => e.seq));
    await page.getByRole("button", { name: "Newer" }).click();
    await page.waitForURL((url) => !url.search.includes("offset"));
  });

  it("narrows by actor, action, target and time, keeps the filter in the URL, and refuses a backwards range", async () => {
    const page = await session.signedIn();
    await page.goto("/audit");
    await rows(page).first().waitFor();

    await page.getByLabel("Actor").fill("demo-reviewer");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/actor=demo-reviewer/);
    const byReviewer = await api().listAudit({ actor: "demo-reviewer" });
    expect(byReviewer.total).toBeGreaterThan(0);
    await waitForFiltered(page, "data-actor", "demo-reviewer", byReviewer.total);

    await page.getByLabel("Actor").fill("");
    await page.getByLabel("Action").fill("config.activate");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(
      (url) => url.searchParams.get("action") === "config.activate" && !url.search.includes("actor"),
    );
    const activations = await api().listAudit({ action: "config.activate" });
    await waitForFiltered(page, "data-action", "config.activate", activations.total);

    // Time: from the start of this minute (UTC) on, only the activations made since.
    const minute = new Date();
    minute.setUTCSeconds(0, 0);
    await page.getByLabel("Since (UTC)").fill(minute.toISOString().slice(0, 16));
    const late = await version("audit-since");
    await session.platform.activateApproved(STRATEGY, late, "dev");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("since") === minute.toISOString().replace(".000Z", "Z"));
    const recent = await api().listAudit({ action: "config.activate", since: minute.toISOString() });
    expect(recent.total).toBeLessThanOrEqual(activations.total + 1);
    await waitForFiltered(page, "data-action", "config.activate", recent.total);
    await rows(page)
      .filter({ hasText: `${STRATEGY}/${late}` })
      .waitFor();

    // The filter survives a reload (it lives in the URL), and the form shows it.
    await page.reload();
    await waitForFiltered(page, "data-action", "config.activate", recent.total);
    await expect(page.getByLabel("Action").inputValue()).resolves.toBe("config.activate");
    await expect(page.getByLabel("Since (UTC)").inputValue()).resolves.toBe(minute.toISOString().slice(0, 16));

    // Target type + id.
    await page.getByRole("button", { name: "Clear" }).click();
    await page.waitForURL((url) => url.search === "");
    await page.getByLabel("Target type").fill("config_version");
    await page.getByLabel("Target id").fill(`${STRATEGY}/${late}`);
    await page.getByRole("button", { name: "Apply filters" }).click();
    const byTarget = await api().listAudit({ target_type: "config_version", target_id: `${STRATEGY}/${late}` });
    expect(byTarget.items.map((e) => e.action).sort()).toEqual(["config.activate", "config.create"]);
    await page.getByTestId("audit-range").filter({ hasText: "1–2 of 2 matching" }).waitFor();

    // Nothing before 2020; a range that ends before it starts is refused at the field, not sent.
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Until (UTC)").fill("2020-01-01T00:00");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No entry matches these filters.").waitFor();
    await page.getByLabel("Since (UTC)").fill("2020-02-01T00:00");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("alert").filter({ hasText: "must be later than since" }).waitFor();
    expect(new URL(page.url()).searchParams.get("since")).toBeNull();
  });

  it("shows an entry's every field and its before/after as a diff", async () => {
    const before = await activeIn("dev");
    const created = await version("audit-detail");
    await session.platform.activateApproved(STRATEGY, created, "dev");
    const seq = await entrySeq("config.activate", `${STRATEGY}/${created}`);
    const entry = await api().getAuditEntry(seq);

    const page = await session.signedIn();
    await page.goto("/audit?action=config.activate");
    await page.getByRole("link", { name: `Entry ${seq}: config.activate by admin` }).click();
    await page.getByRole("heading", { name: `Audit entry ${seq}` }).waitFor();
    const fields = page.getByTestId("entry-fields");
    const field = (term: string) => fields.locator("div", { has: page.locator("dt", { hasText: term }) }).locator("dd");
    await expect(field("Actor").textContent()).resolves.toBe("admin");
    await expect(field("Action").textContent()).resolves.toBe("config.activate");
    await expect(field("Environment").textContent()).resolves.toBe("dev");
    await expect(field("Target").textContent()).resolves.toBe(`config_version ${STRATEGY}/${created}`);
    await expect(field("Request id").textContent()).resolves.toBe(entry.request_id ?? "—");
    await expect(field("Client address").textContent()).resolves.toBe(entry.client_address ?? "—");
    await expect(field("Time").textContent()).resolves.toContain(`${entry.at.slice(0, 19).replace("T", " ")} UTC`);
    const hashes = page.getByTestId("entry-hashes");
    await hashes.getByText(entry.prev_hash, { exact: true }).waitFor();
    await hashes.getByText(entry.hash, { exact: true }).waitFor();

    // before {active_config_id: previous}, after {active_config_id: created, config_hash}.
    const diff = page.getByRole("table", { name: "Before and after" });
    const changed = diff.locator('tr[data-diff-path="active_config_id"]');
    await expect(changed.locator("td").nth(1).textContent()).resolves.toBe("changed");
    await expect(changed.locator("td").nth(2).textContent()).resolves.toBe(before);
    await expect(changed.locator("td").nth(3).textContent()).resolves.toBe(created);
    await expect(diff.locator('tr[data-diff-path="config_hash"] td').nth(1).textContent()).resolves.toBe("added");
    // An activation holds no content to restore.
    await expect(page.getByRole("button", { name: "Restore this config…" }).count()).resolves.toBe(0);
    await expectAccessible(page, "an audit entry");

    // The creation entry: its content, added, and a restore control for an admin.
    const createSeq = await entrySeq("config.create", `${STRATEGY}/${created}`);
    await page.goto(`/audit/${createSeq}`);
    const note = page.getByRole("table", { name: "Before and after" }).locator('tr[data-diff-path="config_data.note"]');
    await expect(note.locator("td").nth(1).textContent()).resolves.toBe("added");
    await expect(note.locator("td").nth(3).textContent()).resolves.toBe("audit-detail");
    await page.getByRole("button", { name: "Restore this config…" }).waitFor();
    await expectAccessible(page, "a config.create audit entry");
    await screenshot(page, "audit-entry");

    // An entry that does not exist: the server's 404, said plainly.
    await page.goto("/audit/999999");
    await page.getByRole("alert").filter({ hasText: "no audit entry 999999" }).waitFor();
  });

  it("restores a config from an entry: applied in dev, a change request in prod, refused while frozen", async () => {
    const restoredId = await version("restore-me");
    await session.platform.activateApproved(STRATEGY, restoredId, "dev");
    const newer = await version("restore-newer");
    await session.platform.activateApproved(STRATEGY, newer, "dev");
    const seq = await entrySeq("config.create", `${STRATEGY}/${restoredId}`);
    const entriesBefore = (await api().verifyAudit()).head_seq;

    const page = await session.signedIn();
    await page.goto(`/audit/${seq}`);
    await page.getByRole("button", { name: "Restore this config…" }).click();
    const dialog = page.getByRole("dialog", { name: `Restore ${STRATEGY} ${restoredId}` });
    await dialog.getByLabel("Environment").selectOption("dev");
    await expect(dialog.getByTestId("restore-active").textContent()).resolves.toBe(`Active in dev now: ${newer}`);
    const note = dialog.locator('tr[data-diff-path="note"]');
    await expect(note.locator("td").nth(2).textContent()).resolves.toBe("restore-newer");
    await expect(note.locator("td").nth(3).textContent()).resolves.toBe("restore-me");
    await expectAccessible(page, "the restore dialog");
    await dialog.getByRole("button", { name: "Restore in dev" }).click();
    const applied = page.getByTestId("restore-outcome");
    await applied.filter({ hasText: `Restored: ${STRATEGY} ${restoredId} is active in dev.` }).waitFor();
    await expect(applied.getAttribute("data-outcome")).resolves.toBe("applied");
    await applied.getByText(`It replaced ${newer}.`).waitFor();

    // The server agrees, and recorded it: a config.activate by admin from the console.
    expect(await activeIn("dev")).toBe(restoredId);
    const activation = (
      await api().listAudit({ action: "config.activate", target_id: `${STRATEGY}/${restoredId}`, limit: 1 })
    ).items[0];
    expect(activation?.seq).toBeGreaterThan(entriesBefore);
    expect(activation).toMatchObject({
      actor: "admin",
      environment: "dev",
      before: { active_config_id: newer },
      after: { active_config_id: restoredId },
    });
    expect(activation?.request_id).toMatch(/^console-/);

    // prod requires approval: a change request, linked.
    await page.getByRole("button", { name: "Restore this config…" }).click();
    await dialog.getByLabel("Environment").selectOption("prod");
    await dialog.getByText("prod requires approval").waitFor();
    await dialog.getByRole("button", { name: "Restore in prod" }).click();
    const proposed = page.getByTestId("restore-outcome").and(page.locator('[data-outcome="change_request"]'));
    await proposed.waitFor();
    const pending = (await api().listChangeRequests({ status: "pending", environment: "prod" })).items.find(
      (cr) => cr.config_id === restoredId,
    );
    expect(pending).toMatchObject({ strategy_name: STRATEGY, author: "admin", environment: "prod" });
    await proposed.getByRole("link", { name: `change request #${pending?.id}` }).waitFor();
    expect(await activeIn("prod")).not.toBe(restoredId);
    const proposal = (await api().listAudit({ action: "change_request.create", limit: 1 })).items[0];
    expect(proposal).toMatchObject({ actor: "admin", environment: "prod", target_id: String(pending?.id) });

    // A freeze window on staging: refused with 423, shown in the dialog, nothing changed.
    const stagingBefore = await activeIn("staging");
    const freeze = await api().addFreezeWindow("staging", {
      reason: "release freeze (test)",
      starts_at: new Date(Date.now() - 60_000).toISOString(),
      ends_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    try {
      await page.reload();
      await page.getByRole("button", { name: "Restore this config…" }).click();
      await dialog.getByLabel("Environment").selectOption("staging");
      await dialog.getByText("staging is frozen now").waitFor();
      await dialog.getByRole("button", { name: "Restore in staging" }).click();
      const refusal = dialog.getByTestId("restore-error");
      await refusal.getByText("Environment frozen").waitFor();
      await refusal
        .getByText("The environment is in a freeze window: nothing was changed.", { exact: false })
        .waitFor();
      expect(await activeIn("staging")).toBe(stagingBefore);
      await screenshot(page, "audit-restore-frozen");

      // An admin may restore anyway, giving the reason; it is kept with the activation's audit entry.
      await dialog.getByLabel("Freeze override reason (admin)").fill("restore agreed with the desk");
      await dialog.getByRole("button", { name: "Restore in staging" }).click();
      await dialog.waitFor({ state: "detached" });
      expect(await activeIn("staging")).toBe(restoredId);
      const activation = (await api().listAudit({ action: "config.activate", limit: 1 })).items[0];
      expect(activation).toMatchObject({ environment: "staging", target_id: `${STRATEGY}/${restoredId}` });
      expect(JSON.stringify(activation)).toContain("restore agreed with the desk");
    } finally {
      await api().removeFreezeWindow("staging", freeze.id);
    }
  });

  it("offers a viewer no restore control", async () => {
    const viewer = await session.platform.user("vera", "viewer");
    const created = await version("viewer-sees");
    const seq = await entrySeq("config.create", `${STRATEGY}/${created}`);
    const page = await session.signedIn(viewer.username, viewer.password);
    await page.goto(`/audit/${seq}`);
    await page.getByRole("heading", { name: `Audit entry ${seq}` }).waitFor();
    await page.getByTestId("entry-fields").waitFor();
    await page.getByRole("table", { name: "Before and after" }).waitFor();
    await expect(page.getByRole("button", { name: /Restore/ }).count()).resolves.toBe(0);

    // "Next entry" leads on while there is a newer entry, and is not offered on the newest.
    const newest = (await api().listAudit({ limit: 1 })).items[0]?.seq as number;
    await page.goto(`/audit/${newest - 1}`);
    await page.getByRole("link", { name: "Next entry" }).click();
    await page.getByRole("heading", { name: `Audit entry ${newest}` }).waitFor();
    await page.getByTestId("entry-fields").waitFor();
    await page.getByRole("link", { name: "Previous entry" }).waitFor();
    await expect(page.getByRole("link", { name: "Next entry" }).count()).resolves.toBe(0);
    // The trail itself is theirs to read.
    await page.goto("/audit");
    await page.getByTestId("chain-status").waitFor();
    await rows(page).first().waitFor();
  });
});

describe("workers", () => {
  it("shows real library workers with their applied version, then one lagging behind a new activation", async () => {
    const subscribe = async (workerId: string, environment: string, labels?: Record<string, string>) => {
      const { token } = await api().createToken({ name: workerId, roles: ["worker"], environments: [environment] });
      const worker = createConfigSubscriber({
        url: session.platform.url,
        credentials: { token },
        environment,
        strategies: [STRATEGY],
        workerId,
        mode: "paper",
        heartbeatMs: 300,
        lastKnownGood: null,
        ...(labels ? { labels, health: () => ({ errors: 0, drawdown_pct: 1.5 }) } : {}),
        warn: () => {},
      });
      subscribers.push(worker);
      await worker.start();
      return worker;
    };
    const devWorker = await subscribe("paper-dev-1", "dev", { canary: "true", exchange: "binance" });
    await subscribe("paper-staging-1", "staging");
    const devActive = await activeIn("dev");
    const stagingActive = await activeIn("staging");
    expect(devWorker.current(STRATEGY).config_version_id).toBe(devActive);

    const page = await session.signedIn();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
    await page.getByRole("heading", { name: "Workers", exact: true }).waitFor();
    const devRow = page.locator('tr[data-worker="paper-dev-1"]');
    const stagingRow = page.locator('tr[data-worker="paper-staging-1"]');
    await devRow.and(page.locator('[data-status="ok"]')).waitFor();
    await stagingRow.waitFor();
    const cell = (row: typeof devRow, name: string) => row.locator(`[data-cell="${name}"]`).textContent();
    await expect(cell(devRow, "applied")).resolves.toBe(devActive);
    await expect(cell(devRow, "active")).resolves.toBe(devActive);
    await expect(cell(devRow, "lag")).resolves.toBe("up to date");
    await expect(cell(devRow, "status")).resolves.toBe("ok");
    await expect(cell(stagingRow, "applied")).resolves.toBe(stagingActive);
    await expect(cell(devRow, "environment")).resolves.toBe("dev");
    await expect(cell(stagingRow, "environment")).resolves.toBe("staging");
    await expect(devRow.locator("td").first().textContent()).resolves.toContain("paper");
    // The labels the worker declared when it subscribed (rollouts select on them).
    await expect(devRow.locator('[data-cell="label"]').allTextContents()).resolves.toEqual([
      "canary=true",
      "exchange=binance",
    ]);
    await expect(stagingRow.locator('[data-cell="label"]').count()).resolves.toBe(0);
    // And the health figures of its latest heartbeat.
    await expect(cell(devRow, "health")).resolves.toBe("errors 0 · drawdown_pct 1.5");
    const heartbeat = (await api().listWorkers()).items.find((w) => w.worker_id === "paper-dev-1");
    expect(heartbeat?.status).toBe("ok");
    await expect(cell(devRow, "heartbeat")).resolves.toMatch(/^\d+ s ago\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // Filter by environment (default: all), kept in the URL.
    await page.getByLabel("Filter by environment").selectOption("staging");
    await page.waitForURL(/environment=staging/);
    await page.getByRole("heading", { name: "Workers in staging" }).waitFor();
    await devRow.waitFor({ state: "detached" });
    await stagingRow.waitFor();
    await page.getByLabel("Filter by environment").selectOption("");
    await devRow.waitFor();

    // A new version active in dev that the worker holds (no boundary): behind by one version, then lagging.
    // timeframe is a restart parameter in the demo catalog: it will wait for a restart.
    const next = await version("workers-lag", { timeframe: "4h" });
    await session.platform.activateApproved(STRATEGY, next, "dev");
    await eventually(async () => (devWorker.hasPending ? true : undefined), "the worker to hold the change");
    await devRow.and(page.locator('[data-status="lagging"]')).waitFor({ timeout: 20_000 });
    await expect(cell(devRow, "applied")).resolves.toBe(devActive);
    await expect(cell(devRow, "active")).resolves.toBe(next);
    await expect(cell(devRow, "lag")).resolves.toMatch(/^1 change, \d+ s behind$/);
    const lagging = (await api().listWorkers({ environment: "dev" })).items.find((w) => w.worker_id === "paper-dev-1");
    expect(lagging).toMatchObject({
      status: "lagging",
      strategies: [{ applied_config_id: devActive, lag_versions: 1 }],
    });
    await expect(cell(stagingRow, "status")).resolves.toBe("ok");
    await expectAccessible(page, "the workers page");
    await screenshot(page, "workers");

    // The worker reaches a boundary: it applies the new version and is up to date again.
    devWorker.boundary();
    await devRow.and(page.locator('[data-status="ok"]')).waitFor({ timeout: 20_000 });
    await expect(cell(devRow, "applied")).resolves.toBe(next);
    await expect(cell(devRow, "lag")).resolves.toBe("up to date");
    await devRow.locator('[data-cell="restart-pending"]').getByText(`${STRATEGY}:timeframe`).waitFor();
    await expect(cell(stagingRow, "restart-pending")).resolves.toBe("—");
    await expect(cell(devRow, "between-trades-pending")).resolves.toBe("—");

    // stake_amount changes only between trades (demo catalog): held while the worker holds a trade,
    // shown apart from what waits for a restart, and applied at a boundary with no open trade.
    const restake = await version("workers-stake", { stake_amount: 300 });
    await session.platform.activateApproved(STRATEGY, restake, "dev");
    await eventually(async () => (devWorker.hasPending ? true : undefined), "the worker to receive the stake change");
    const [held] = devWorker.boundary({ at: "candle_close", openTrades: 1 });
    expect(held).toMatchObject({ config_version_id: restake, pending_between_trades: ["stake_amount"] });
    await devRow.locator('[data-cell="between-trades-pending"]').getByText(`${STRATEGY}:stake_amount`).waitFor();
    await expect(cell(devRow, "between-trades-pending")).resolves.toBe(`${STRATEGY}:stake_amount`);
    // (note: a key the catalog does not describe, so restart)
    await expect(cell(devRow, "restart-pending")).resolves.toBe(`${STRATEGY}:note${STRATEGY}:timeframe`);
    await expect(cell(stagingRow, "between-trades-pending")).resolves.toBe("—");
    const [flat] = devWorker.boundary({ at: "flat", openTrades: 0 });
    expect(flat).toMatchObject({ values: { stake_amount: 300 }, pending_between_trades: [] });
    await devRow.locator('[data-cell="between-trades-pending"]').getByText("—", { exact: true }).waitFor();
    await eventually(
      async () =>
        (await api().listWorkers({ environment: "dev" })).items.find((w) => w.worker_id === "paper-dev-1")?.status ===
        "ok"
          ? true
          : undefined,
      "the API to say ok",
    );
  });

  it("shows a worker's sessions, the timeline of what it applied, and what it ran at a given time", async () => {
    const { items } = await api().listSessions({ worker: "paper-dev-1" });
    const detail = await eventually(async () => {
      const s = await api().getSession(items[0]?.session_id as string);
      return s.history.some((h) => h.boundary === "flat") ? s : undefined;
    }, "the boundaries' applies in the history");
    const [first, second] = detail.history;

    const page = await session.signedIn();
    await page.goto("/workers");
    await page.locator('tr[data-worker="paper-dev-1"]').getByRole("link", { name: "paper-dev-1" }).click();
    await page.getByRole("heading", { name: "Worker paper-dev-1" }).waitFor();
    const sessionRow = page.locator(`tr[data-session="${detail.session_id}"]`);
    await sessionRow.waitFor();
    await expect(sessionRow.textContent()).resolves.toContain("paper");
    // Newest first: the boundary's apply, then the start.
    const timeline = page.getByTestId("session-timeline");
    await timeline.locator(`li[data-seq="${second?.seq}"]`).waitFor();
    await expect(
      timeline.locator("li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-seq"))),
    ).resolves.toEqual(detail.history.map((h) => String(h.seq)).reverse());
    const newest = timeline.locator(`li[data-seq="${second?.seq}"]`);
    await expect(newest.locator('[data-cell="parameter-set"]').textContent()).resolves.toBe(second?.parameter_set_hash);
    await expect(newest.textContent()).resolves.toContain(second?.config_version_id as string);
    await expect(timeline.locator(`li[data-seq="${first?.seq}"]`).textContent()).resolves.toContain("start");
    // The apply that held the stake says so, apart from what waited for a restart.
    const heldStake = detail.history.find((h) => h.pending_between_trades.length > 0);
    expect(heldStake).toMatchObject({ boundary: "candle_close", pending_between_trades: ["stake_amount"] });
    const heldItem = timeline.locator(`li[data-seq="${heldStake?.seq}"]`);
    await expect(heldItem.locator('[data-cell="between-trades-pending"]').textContent()).resolves.toBe("stake_amount");
    await expect(heldItem.locator('[data-cell="restart-pending"]').textContent()).resolves.toBe("note, timeframe");
    await expect(heldItem.textContent()).resolves.toContain("waiting for no open trade");

    // What did it run between its two applies? The first one's version, hash and set.
    // The field takes whole seconds: the first second after the first apply, before the second.
    const between = new Date(Math.ceil((Date.parse(first?.applied_at ?? "") + 1) / 1000) * 1000);
    expect(between.getTime()).toBeLessThan(Date.parse(second?.applied_at ?? ""));
    await page.getByLabel("Time (UTC)").fill(between.toISOString().slice(0, 19));
    await page.getByRole("button", { name: "Look up" }).click();
    const ranAt = page.getByTestId("ran-at").locator(`tr[data-strategy="${STRATEGY}"]`);
    await ranAt.waitFor();
    await expect(ranAt.locator('[data-cell="version"]').textContent()).resolves.toBe(first?.config_version_id);
    await expect(ranAt.locator('[data-cell="parameter-set"]').textContent()).resolves.toBe(first?.parameter_set_hash);
    await expectAccessible(page, "a worker's page");
    await screenshot(page, "worker-sessions");
  });

  it("fits a phone screen", async () => {
    const page = await session.signedIn("admin", "test-admin-password-0", PHONE);
    await page.goto("/workers");
    await page.getByTestId("workers-table").waitFor();
    await expectNoHorizontalOverflow(page, "the workers page on a phone");
    await page.goto("/workers/paper-dev-1");
    await page.getByTestId("session-timeline").waitFor();
    await expectNoHorizontalOverflow(page, "a worker's page on a phone");
    await page.goto("/audit");
    await rows(page).first().waitFor();
    await expectNoHorizontalOverflow(page, "the audit trail on a phone");
    const created = (await api().listAudit({ action: "config.create", limit: 1 })).items[0]?.seq;
    await page.goto(`/audit/${created}`);
    await page.getByRole("table", { name: "Before and after" }).waitFor();
    await expectNoHorizontalOverflow(page, "an audit entry on a phone");
    await page.getByRole("button", { name: "Restore this config…" }).click();
    await page.getByRole("dialog").getByText("Active in").waitFor();
    await expectNoHorizontalOverflow(page, "the restore dialog on a phone");
    await screenshot(page, "phone-audit-restore");
  });

  it("an admin retires a worker: it leaves the view (a viewer is offered no such control)", async () => {
    const beat = await session.platform.http("/api/v1/workers/retire-me/heartbeat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ environment: "dev", applied: [] }),
    });
    expect(beat.status).toBe(204);
    const viewer = await session.platform.user("vic", "viewer");
    const viewerPage = await session.signedIn(viewer.username, viewer.password);
    await viewerPage.goto("/workers/retire-me");
    await viewerPage.getByRole("heading", { name: "Worker retire-me" }).waitFor();
    await expect(viewerPage.getByRole("button", { name: "Retire worker" }).count()).resolves.toBe(0);

    const page = await session.signedIn();
    await page.goto("/workers/retire-me");
    await page.getByRole("button", { name: "Retire worker" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Retire" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    expect((await api().listWorkers()).items.map((w) => w.worker_id)).not.toContain("retire-me");
    const entry = (await api().listAudit({ action: "worker.retire", limit: 1 })).items[0];
    expect(entry).toMatchObject({ target_id: "retire-me", actor: "admin" });
    await page.goto("/workers");
    await page.getByTestId("workers-table").waitFor();
    await expect(page.locator('tr[data-worker="retire-me"]').count()).resolves.toBe(0);
  });
});
