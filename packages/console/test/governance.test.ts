/**
 * Strategies, the parameter editor, versions and change requests in a real browser against the real
 * server: edit, save, diff, propose, approve as a second person, and see it active live.
 */
import type { CatalogParameterInput } from "@tradai/core";
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

const STRATEGY = "StochRsiStrategy";
const FIRST = {
  timeframe: "1h",
  stoploss: -0.05,
  stake_amount: 100,
  rsi_period: 14,
  oversold: 20,
  overbought: 80,
};

let session: ConsoleSession;
let first: string;
let editor: { username: string; password: string };
let approver: { username: string; password: string };

beforeAll(async () => {
  session = await startConsoleSession();
  const { api } = session.platform;
  first = (await api.createConfig({ strategy_name: STRATEGY, config_data: FIRST, description: "first" })).config_id;
  for (const env of ["dev", "staging", "prod"]) {
    expect(await session.platform.activateApproved(STRATEGY, first, env)).toBe("applied");
  }
  editor = await session.platform.user("alice", "editor");
  approver = await session.platform.user("bob", "approver");
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const field = (page: Page, name: string) => page.locator(`[data-parameter="${name}"]`);
const versionCount = async () => (await session.platform.api.listConfigs(STRATEGY)).total;

async function openEditor(page: Page, environment: string) {
  await page.getByTestId("environment-switcher").selectOption(environment);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Strategies" }).click();
  await page.getByRole("link", { name: `Edit ${STRATEGY}` }).click();
  await field(page, "oversold").getByRole("spinbutton").waitFor();
}

describe("strategies and the parameter editor", () => {
  it("lists strategies with their active version per environment", async () => {
    const page = await session.signedIn(editor.username, editor.password);
    await page.goto("/strategies");
    const row = page.getByTestId("strategies").locator(`tr[data-strategy="${STRATEGY}"]`);
    for (const env of ["dev", "staging", "prod"]) {
      await expect(row.locator(`td[data-environment="${env}"]`).textContent()).resolves.toBe(first);
    }
    await expect(page.getByTestId("strategies").locator('tr[data-strategy="MeanReversionDemo"]').count()).resolves.toBe(
      1,
    );
    await expectAccessible(page, "the strategies page");
    await screenshot(page, "strategies");
  });

  it("edits, saves, diffs, proposes in prod, is approved by a second person, and shows it active live", async () => {
    const page = await session.signedIn(editor.username, editor.password);
    await openEditor(page, "prod");
    const oversold = field(page, "oversold");
    // Description, bounds, badges and provenance are shown with each parameter.
    await oversold.getByText("Entry zone: %K crossing up below this level").waitFor();
    await oversold.getByText("hot reload").waitFor();
    await field(page, "stoploss").getByText("critical").waitFor();
    await field(page, "stoploss").getByText("restart").waitFor();
    await field(page, "stake_amount").getByText("between trades").waitFor();
    await expect(oversold.getByTestId("provenance").textContent()).resolves.toBe(
      `Current value: 20 from active version (${first})`,
    );
    await expect(field(page, "fee").getByTestId("provenance").textContent()).resolves.toMatch(
      /^Current value: 0\.001 from catalog default/,
    );
    await expectAccessible(page, "the parameter editor");
    await screenshot(page, "editor");

    await oversold.getByRole("spinbutton").fill("25");
    await page.getByLabel("Description").fill("wider entry zone");
    await page.getByRole("button", { name: "Save version" }).click();
    const outcome = page.getByTestId("save-outcome");
    await outcome.and(page.locator('[data-outcome="created"]')).waitFor();
    const created = (await outcome.getByRole("link").textContent()) as string;
    const stored = await session.platform.api.showConfig(STRATEGY, created);
    expect(stored.config_data).toEqual({ ...FIRST, oversold: 25 });
    expect(stored.description).toBe("wider entry zone");
    expect(stored.created_by).toBe(editor.username);
    // The diff against the version active in prod.
    const diffRow = page.getByTestId("save-result").locator('tr[data-diff-path="oversold"]');
    await expect(diffRow.locator("td").allTextContents()).resolves.toEqual(["oversold", "changed", "20", "25"]);
    await expect(page.getByTestId("save-result").locator("tr[data-diff-path]").count()).resolves.toBe(1);

    // prod requires approval: activating opens a change request.
    await page.getByRole("button", { name: "Activate in prod" }).click();
    const result = page.getByTestId("activation-result");
    await result.and(page.locator('[data-outcome="change_request"]')).waitFor();
    await result.getByText("prod requires approval").waitFor();
    const crLink = result.getByRole("link", { name: /Open change request #\d+/ });
    const id = Number(((await crLink.textContent()) as string).replace(/\D+/g, ""));
    const proposed = await session.platform.api.getChangeRequest(id);
    expect(proposed).toMatchObject({
      status: "pending",
      author: editor.username,
      config_id: created,
      environment: "prod",
    });
    expect(
      (await session.platform.api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.prod,
    ).toBe(first);

    // The author sees the request without any approve or reject control.
    await crLink.click();
    await page.getByRole("heading", { name: `Change request #${id}` }).waitFor();
    await page.getByTestId("own-request").waitFor();
    await expect(page.getByRole("button", { name: "Approve" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Reject" }).count()).resolves.toBe(0);

    // The author watches the versions page and, in a second tab of the same browser, the dashboard:
    // no reload from here on. (Each tab holds one event stream; two must fit in HTTP/1.1's six
    // connections per server.)
    await page.getByRole("link", { name: created }).click();
    await page.getByRole("heading", { name: created }).waitFor();
    await page.getByRole("link", { name: STRATEGY, exact: true }).click();
    const versionRow = page.getByTestId("versions").locator(`tr[data-version="${created}"]`);
    await versionRow.locator('td[data-environment="prod"] [data-status="draft"]').waitFor();
    const dashboard = await page.context().newPage();
    await dashboard.goto("/");
    const prodCell = dashboard
      .getByTestId("active-versions")
      .locator(`tr[data-strategy="${STRATEGY}"] td[data-environment="prod"]`);
    await prodCell.filter({ hasText: first }).waitFor();
    for (const p of [page, dashboard]) {
      await p.getByTestId("live-status").and(p.locator('[data-status="live"]')).waitFor();
      await p.evaluate(() => Object.assign(window, { notReloaded: true }));
    }

    // The approver finds it in the queue and approves it.
    const reviewer = await session.signedIn(approver.username, approver.password);
    await reviewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Change requests" }).click();
    const queueRow = reviewer.getByTestId("change-requests").locator(`tr[data-change-request="${id}"]`);
    await queueRow.waitFor();
    await expectAccessible(reviewer, "the change-request queue");
    await screenshot(reviewer, "change-requests");
    await queueRow.getByRole("link", { name: `#${id}` }).click();
    await reviewer.locator('tr[data-diff-path="oversold"]').waitFor();
    await expect(reviewer.getByTestId("approvals").textContent()).resolves.toBe("0/1");
    await expectAccessible(reviewer, "a change request");
    await screenshot(reviewer, "change-request");
    await reviewer.getByLabel("Comment").fill("looks right");
    await reviewer.getByRole("button", { name: "Approve" }).click();
    await reviewer
      .getByRole("heading", { name: /Activation of/ })
      .locator("..")
      .locator('[data-status="applied"]')
      .waitFor();
    const approved = await session.platform.api.getChangeRequest(id);
    expect(approved.status).toBe("applied");
    expect(approved.reviews).toMatchObject([
      { reviewer: approver.username, decision: "approve", comment: "looks right" },
    ]);

    // The author's pages follow without a reload.
    await versionRow.locator('td[data-environment="prod"] [data-status="active"]').waitFor();
    await page
      .getByTestId("versions")
      .locator(`tr[data-version="${first}"] td[data-environment="prod"] [data-status="deprecated"]`)
      .waitFor();
    await prodCell.filter({ hasText: created }).waitFor();
    for (const p of [page, dashboard]) {
      await expect(p.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    }
    expect(
      (await session.platform.api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.prod,
    ).toBe(created);
  });

  it("shows a bound violation and a rule violation at the field before anything is sent", async () => {
    const page = await session.signedIn(editor.username, editor.password);
    await openEditor(page, "dev");
    const before = await versionCount();
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().includes("/api/v1/configs")) posts.push(request.url());
    });

    await field(page, "stoploss").getByRole("spinbutton").fill("-0.9");
    await field(page, "stoploss").getByRole("alert").filter({ hasText: "must be at least -0.5" }).waitFor();
    await expect(field(page, "stoploss").getByRole("spinbutton").getAttribute("aria-invalid")).resolves.toBe("true");

    await field(page, "oversold").getByRole("spinbutton").fill("50");
    await field(page, "overbought").getByRole("spinbutton").fill("50");
    await page.getByRole("button", { name: "Save version" }).click();
    const ruleMessage =
      "rule oversold_below_overbought violated: the oversold level must lie below the overbought level";
    await field(page, "oversold").getByRole("alert").filter({ hasText: ruleMessage }).waitFor();
    await field(page, "overbought").getByRole("alert").filter({ hasText: ruleMessage }).waitFor();
    await field(page, "stoploss").getByRole("alert").filter({ hasText: "must be at least -0.5" }).waitFor();

    // Only the rule left: still refused before submit.
    await field(page, "stoploss").getByRole("spinbutton").fill("-0.05");
    await page.getByRole("button", { name: "Save version" }).click();
    await field(page, "oversold").getByRole("alert").filter({ hasText: ruleMessage }).waitFor();
    await expect(field(page, "stoploss").getByRole("alert").count()).resolves.toBe(0);

    expect(posts).toEqual([]);
    expect(await versionCount()).toBe(before);
    await expect(page.getByTestId("save-result").count()).resolves.toBe(0);
  });

  it("says so when identical content already exists", async () => {
    const page = await session.signedIn(editor.username, editor.password);
    await openEditor(page, "dev");
    const before = await versionCount();
    await page.getByRole("button", { name: "Save version" }).click();
    const outcome = page.getByTestId("save-outcome").and(page.locator('[data-outcome="deduplicated"]'));
    await outcome.waitFor();
    await expect(outcome.textContent()).resolves.toBe(
      `Identical content already exists as version ${first}; no new version was created.`,
    );
    await page.getByText("This version is already active in dev.").waitFor();
    expect(await versionCount()).toBe(before);
  });
});

describe("versions", () => {
  it("compares two versions, shows one, and deprecates a version for good", async () => {
    const { api } = session.platform;
    const page = await session.signedIn(editor.username, editor.password);
    const spare = (
      await api.createConfig({ strategy_name: STRATEGY, config_data: { ...FIRST, smooth_k: 4 }, description: "spare" })
    ).config_id;
    await page.getByTestId("environment-switcher").selectOption("dev");
    await page.goto(`/strategies/${STRATEGY}/versions`);
    const table = page.getByTestId("versions");
    await table.locator(`tr[data-version="${spare}"]`).waitFor();
    await expectAccessible(page, "the versions page");
    await screenshot(page, "versions");

    await page.getByLabel(`Pick ${first} to compare`).check();
    await page.getByLabel(`Pick ${spare} to compare`).check();
    await page.getByRole("button", { name: "Compare the two picked" }).click();
    const diff = page.getByTestId("versions-diff");
    await diff.getByText(`Changes from ${first} to ${spare}`).waitFor();
    await expect(diff.locator('tr[data-diff-path="smooth_k"] td').allTextContents()).resolves.toEqual([
      "smooth_k",
      "added",
      "—",
      "4",
    ]);
    await expect(diff.locator("tr[data-diff-path]").count()).resolves.toBe(1);
    await expectAccessible(page, "the diff of two versions");
    await screenshot(page, "versions-diff");

    await table.locator(`tr[data-version="${spare}"]`).getByRole("link", { name: spare }).click();
    await page.getByRole("heading", { name: spare }).waitFor();
    const stored = await api.showConfig(STRATEGY, spare);
    await page.getByText(stored.config_hash).waitFor();
    await expect(page.getByTestId("config-data").textContent()).resolves.toBe(
      JSON.stringify(stored.config_data, null, 2),
    );
    await expectAccessible(page, "a version");
    await screenshot(page, "version");

    await page.getByRole("button", { name: "Deprecate" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("This is final").waitFor();
    await dialog.getByLabel("Reason").fill("never used");
    await dialog.getByRole("button", { name: "Deprecate for good" }).click();
    await page
      .getByTestId("deprecate-result")
      .filter({ hasText: `${spare} is deprecated for good.` })
      .waitFor();
    const after = await api.showConfig(STRATEGY, spare);
    expect(after.explicitly_deprecated).toBe(true);
    expect(after.status).toBe("deprecated");
    await page.getByText("Deprecated for good: nothing can be done with it any more.").waitFor();
  });

  it("rolls back to the previous version on a phone", async () => {
    const { api } = session.platform;
    const second = (
      await api.createConfig({
        strategy_name: STRATEGY,
        config_data: { ...FIRST, rsi_period: 21 },
        description: "slower",
      })
    ).config_id;
    expect(await session.platform.activateApproved(STRATEGY, second, "dev")).toBe("applied");
    const page = await session.signedIn(editor.username, editor.password, PHONE);
    await page.getByTestId("environment-switcher").selectOption("dev");
    await page.goto(`/strategies/${STRATEGY}/versions`);
    const rows = page.getByTestId("versions");
    await rows.locator(`tr[data-version="${second}"] td[data-environment="dev"] [data-status="active"]`).waitFor();
    await page.getByRole("button", { name: "Roll back dev" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Roll back", exact: true }).click();
    const result = page.getByTestId("activation-result").and(page.locator('[data-outcome="applied"]'));
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe(`Applied: ${first} is now active in dev (it replaced ${second}).`);
    await rows.locator(`tr[data-version="${first}"] td[data-environment="dev"] [data-status="active"]`).waitFor();
    expect((await api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.dev).toBe(first);
    await expectNoHorizontalOverflow(page, "rollback on a phone");
    await expectAccessible(page, "rollback on a phone");
    await screenshot(page, "phone-rollback");
  });

  it("refuses an activation in a frozen environment with the window, and lets an admin override it with a reason", async () => {
    const { api } = session.platform;
    const candidate = (
      await api.createConfig({ strategy_name: STRATEGY, config_data: { ...FIRST, smooth_d: 4 }, description: "frozen" })
    ).config_id;
    const now = Date.now();
    const window = await api.addFreezeWindow("staging", {
      reason: "exchange maintenance",
      starts_at: new Date(now - 60_000).toISOString(),
      ends_at: new Date(now + 3_600_000).toISOString(),
    });
    try {
      const page = await session.signedIn(editor.username, editor.password);
      await page.getByTestId("environment-switcher").selectOption("staging");
      await page.goto(`/strategies/${STRATEGY}/versions/${candidate}`);
      await page.getByRole("button", { name: "Activate in staging" }).click();
      const refused = page.getByTestId("activation-error").and(page.locator('[data-status="423"]'));
      await refused.getByText("staging is frozen: nothing can be activated there now.").waitFor();
      await refused.getByText(`Freeze window ${window.id} (exchange maintenance), until`).waitFor();
      // Only admins may override.
      await expect(refused.getByRole("button", { name: "Override the freeze" }).count()).resolves.toBe(0);

      const admin = await session.signedIn();
      await admin.getByTestId("environment-switcher").selectOption("staging");
      await admin.goto(`/strategies/${STRATEGY}/versions/${candidate}`);
      await admin.getByRole("button", { name: "Activate in staging" }).click();
      const adminRefused = admin.getByTestId("activation-error").and(admin.locator('[data-status="423"]'));
      await adminRefused.getByRole("button", { name: "Override the freeze" }).click();
      await adminRefused.getByText("say why the freeze must be overridden").waitFor();
      await adminRefused.getByLabel("Override reason (admin)").fill("hotfix agreed with the desk");
      await adminRefused.getByRole("button", { name: "Override the freeze" }).click();
      await admin.getByTestId("activation-result").and(admin.locator('[data-outcome="applied"]')).waitFor();
      expect((await api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.staging).toBe(
        candidate,
      );

      // A rollback in the frozen environment is refused the same way, and an admin may override it too.
      await admin.goto(`/strategies/${STRATEGY}/versions`);
      await admin.getByRole("button", { name: "Roll back staging" }).click();
      await admin.getByRole("dialog").getByRole("button", { name: "Roll back", exact: true }).click();
      const rollbackRefused = admin.getByTestId("activation-error").and(admin.locator('[data-status="423"]'));
      await rollbackRefused.getByLabel("Override reason (admin)").fill("back to the version before the hotfix");
      await rollbackRefused.getByRole("button", { name: "Override the freeze" }).click();
      const rolledBack = admin.getByTestId("activation-result").and(admin.locator('[data-outcome="applied"]'));
      await rolledBack.getByText(`(it replaced ${candidate})`, { exact: false }).waitFor();
      expect((await api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.staging).not.toBe(
        candidate,
      );
    } finally {
      await api.removeFreezeWindow("staging", window.id);
    }
  });

  it("promotes the version active in dev to staging, and an admin breaks glass on the prod request", async () => {
    const { api } = session.platform;
    const promoted = (
      await api.createConfig({
        strategy_name: STRATEGY,
        config_data: { ...FIRST, overbought: 81 },
        description: "promote",
      })
    ).config_id;
    expect(await session.platform.activateApproved(STRATEGY, promoted, "dev")).toBe("applied");
    const activeIn = async (env: string) =>
      (await api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active[env];

    // staging is promoted to from dev: an editor promotes the version active there.
    const page = await session.signedIn(editor.username, editor.password);
    await page.getByTestId("environment-switcher").selectOption("staging");
    await page.goto(`/strategies/${STRATEGY}/versions/${promoted}`);
    await page.getByRole("button", { name: "Promote from dev to staging" }).click();
    const applied = page.getByTestId("activation-result").and(page.locator('[data-outcome="applied"]'));
    await applied.getByText(`${promoted} is now active in staging`, { exact: false }).waitFor();
    expect(await activeIn("staging")).toBe(promoted);

    // prod needs approval; where its policy allows, an admin may apply a request at once, with a reason.
    // Allowing break-glass weakens governance: it is itself a change request, approved by a second person.
    const allowed = await session.platform.approved(api.updateEnvironmentPolicy("prod", { break_glass_allowed: true }));
    expect(allowed).toMatchObject({ status: "applied", kind: "environment_policy" });
    expect((await api.getEnvironment("prod")).break_glass_allowed).toBe(true);
    const admin = await session.signedIn();
    await admin.getByTestId("environment-switcher").selectOption("prod");
    await admin.goto(`/strategies/${STRATEGY}/versions/${promoted}`);
    await admin.getByRole("button", { name: "Promote from staging to prod" }).click();
    await admin.getByTestId("activation-result").and(admin.locator('[data-outcome="change_request"]')).waitFor();
    const pending = await api.listChangeRequests({ status: "pending", strategy: STRATEGY, environment: "prod" });
    const request = pending.items.find((cr) => cr.config_id === promoted);
    expect(request?.kind).toBe("promotion");
    expect(await activeIn("prod")).not.toBe(promoted);

    await admin.goto(`/change-requests/${request?.id}`);
    await admin.getByRole("button", { name: "Break glass" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByRole("button", { name: "Apply now" }).click();
    await dialog.getByRole("alert").waitFor(); // a reason is required
    expect((await api.getChangeRequest(request?.id as number)).status).toBe("pending");
    await dialog.getByLabel("Reason").fill("desk outage: the fix must be live now");
    await dialog.getByRole("button", { name: "Apply now" }).click();
    await admin.getByRole("button", { name: "Break glass" }).waitFor({ state: "detached" });
    const done = await api.getChangeRequest(request?.id as number);
    expect(done).toMatchObject({ status: "applied", break_glass_reason: "desk outage: the fix must be live now" });
    expect(await activeIn("prod")).toBe(promoted);
  });

  it("offers a viewer no write control", async () => {
    const viewer = await session.platform.user("victor", "viewer");
    const page = await session.signedIn(viewer.username, viewer.password);
    await page.getByTestId("environment-switcher").selectOption("dev");
    await page.goto(`/strategies/${STRATEGY}/edit`);
    await expect(field(page, "oversold").getByRole("spinbutton").isDisabled()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Save version" }).count()).resolves.toBe(0);
    await page.goto(`/strategies/${STRATEGY}/versions`);
    await page.getByTestId("versions").locator(`tr[data-version="${first}"]`).waitFor();
    await expect(page.getByRole("button", { name: /Roll back/ }).count()).resolves.toBe(0);
    await page.goto(`/strategies/${STRATEGY}/versions/${first}`);
    await page.getByTestId("config-data").waitFor();
    for (const name of [/Activate/, /Promote/, "Deprecate"]) {
      await expect(page.getByRole("button", { name }).count()).resolves.toBe(0);
    }
    const pending = (await session.platform.api.listChangeRequests({ status: "pending" })).items[0];
    expect(pending).toBeDefined();
    await page.goto(`/change-requests/${pending?.id}`);
    await page.getByTestId("approvals").waitFor();
    for (const name of ["Approve", "Reject", "Break glass"]) {
      await expect(page.getByRole("button", { name }).count()).resolves.toBe(0);
    }
  });

  it("shows the server's field error next to its field (a bound tightened after the editor opened)", async () => {
    const { api } = session.platform;
    const page = await session.signedIn(editor.username, editor.password);
    await openEditor(page, "dev");
    const before = await versionCount();
    const definition = (await api.getParameter("rsi_period")).parameter as CatalogParameterInput;
    await api.updateParameter({ ...definition, max: 25 });
    try {
      await field(page, "rsi_period").getByRole("spinbutton").fill("30");
      // The page still holds the old bound, so the check that refuses is the server's.
      const refused = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/configs",
      );
      await page.getByRole("button", { name: "Save version" }).click();
      expect((await refused).status()).toBe(422);
      await field(page, "rsi_period").getByRole("alert").filter({ hasText: "must be at most 25" }).waitFor();
      expect(await versionCount()).toBe(before);
    } finally {
      await api.updateParameter(definition);
    }
  });

  it("opened by its address, starts from the active version, and warns when another is activated meanwhile", async () => {
    const { api } = session.platform;
    const page = await session.signedIn(editor.username, editor.password);
    await page.getByTestId("environment-switcher").selectOption("staging");
    // A first load straight at the editor: its data is asked for with the session (the prefetch).
    await page.goto(`/strategies/${STRATEGY}/edit`);
    const startedFrom = (await api.listConfigs(STRATEGY, { environment: "staging", status: "active" })).items[0]
      ?.config_id;
    expect(startedFrom).toBeDefined();
    await page.getByText(`starting from the active version ${startedFrom}`).waitFor();
    await field(page, "oversold").getByRole("spinbutton").waitFor();
    expect(await page.getByTestId("active-changed").count()).toBe(0);

    const other = (
      await api.createConfig({
        strategy_name: STRATEGY,
        config_data: { ...FIRST, oversold: 17 },
        description: "activated while the editor is open",
      })
    ).config_id;
    expect(await session.platform.activateApproved(STRATEGY, other, "staging")).toBe("applied");
    // The change feed brings it to the open page; what the form shows stays as it was.
    await page
      .getByTestId("active-changed")
      .filter({ hasText: `changed to ${other}` })
      .filter({ hasText: `started from ${startedFrom}` })
      .waitFor();
    expect(await field(page, "oversold").getByRole("spinbutton").inputValue()).not.toBe("17");
  });
});
