/**
 * Catalog changes are governed in a real browser against the real server: a change of a critical
 * parameter's resolved value becomes a change request (shown with its link, never as saved) that a
 * second person approves; a change in a frozen environment is refused with the window, and the
 * override is offered only to an admin.
 */
import type { CatalogParameterInput } from "@tradai/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";

const STRATEGY = "StochRsiStrategy";
/** Leaves stoploss, smooth_k and smooth_d to the catalog's defaults. */
const DATA = { timeframe: "1h", stake_amount: 100, rsi_period: 14, oversold: 20, overbought: 80 };

let session: ConsoleSession;
let approver: { username: string; password: string };
beforeAll(async () => {
  session = await startConsoleSession();
  const { api } = session.platform;
  const version = (await api.createConfig({ strategy_name: STRATEGY, config_data: DATA })).config_id;
  // Its resolved stoploss (a critical parameter) comes from the catalog's default, in dev.
  expect(await session.platform.activateApproved(STRATEGY, version, "dev")).toBe("applied");
  approver = await session.platform.user("carol", "approver");
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const resolvedIn = async (environment: string, name: string) =>
  (await session.platform.api.resolve(STRATEGY, { environment })).values[name];

async function editDefault(page: Page, name: string, value: string) {
  await page.goto(`/catalog/parameters/${name}`);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Default").fill(value);
  await page.getByRole("button", { name: "Save definition" }).click();
}

describe("a catalog change of a critical parameter", () => {
  it("becomes a change request shown with its link; a second person approves it; the catalog shows it", async () => {
    const { api } = session.platform;
    const admin = await session.signedIn();
    await editDefault(admin, "stoploss", "-0.04");

    // Not applied: the change request, its reasons and the approvals it needs.
    const proposed = admin.getByTestId("catalog-change-result");
    await proposed.getByText("Not applied yet: a change request was opened: update parameter stoploss.").waitFor();
    await proposed.getByText(`critical parameters change in dev (${STRATEGY}): stoploss`).waitFor();
    await proposed.getByText("It needs 1 approval from people other than admin (0 so far).").waitFor();
    await expect(proposed.getAttribute("data-outcome")).resolves.toBe("change_request");
    await expect(admin.getByText(/Saved as catalog revision/).count()).resolves.toBe(0);
    const link = proposed.getByRole("link", { name: /Open change request #\d+/ });
    const id = Number(((await link.textContent()) as string).replace(/\D+/g, ""));
    expect(await api.getChangeRequest(id)).toMatchObject({
      kind: "catalog",
      status: "pending",
      author: "admin",
      summary: "update parameter stoploss",
      strategy_name: null,
      config_id: null,
    });
    expect((await api.getParameter("stoploss")).parameter.default).toBe(-0.05);
    expect(await resolvedIn("dev", "stoploss")).toBe(-0.05);
    await admin
      .locator('[data-field="Default"]')
      .filter({ hasText: /^-0\.05$/ })
      .waitFor();
    await expectAccessible(admin, "a proposed catalog change");
    await screenshot(admin, "catalog-change-proposed");
    // The dashboard's pending card lists it as what it is.
    await admin.goto("/");
    const pending = admin.getByTestId("pending-requests").locator(`tr[data-change-request="${id}"]`);
    await pending.locator('[data-column="summary"]').filter({ hasText: "update parameter stoploss" }).waitFor();
    await pending.locator("[data-kind]").filter({ hasText: "catalog change" }).waitFor();
    await expect(pending.locator('[data-column="approvals"]').textContent()).resolves.toBe("0/1 people");
    await admin.goto("/catalog/parameters/stoploss");

    // The second person finds it in the queue as a catalog change and approves it on its page.
    const reviewer = await session.signedIn(approver.username, approver.password);
    await reviewer.goto("/change-requests");
    const row = reviewer.getByTestId("change-requests").locator(`tr[data-change-request="${id}"]`);
    await row.locator("[data-kind]").filter({ hasText: "catalog change" }).waitFor();
    await expect(row.locator('[data-column="summary"]').textContent()).resolves.toBe("update parameter stoploss");
    await expect(row.locator('[data-column="environment"]').textContent()).resolves.toBe("dev");
    await row.getByRole("link", { name: `#${id}` }).click();
    await reviewer.getByTestId("cr-summary").filter({ hasText: "update parameter stoploss" }).waitFor();
    // What it does to what StochRsiStrategy resolves in dev.
    const resolved = reviewer.locator(`[data-resolved="${STRATEGY}/dev"]`);
    const diff = resolved.locator('tr[data-diff-path="stoploss"] td');
    await expect(diff.allTextContents()).resolves.toEqual(["stoploss", "changed", "-0.05", "-0.04"]);
    await resolved.getByText("critical: stoploss").waitFor();
    await expect(reviewer.getByTestId("approvals").textContent()).resolves.toBe("0/1");
    await expectAccessible(reviewer, "a catalog change request");
    await screenshot(reviewer, "catalog-change-request");
    await reviewer.getByRole("button", { name: "Approve" }).click();
    await reviewer
      .getByRole("heading", { name: "Catalog change", exact: true })
      .locator("..")
      .locator('[data-status="applied"]')
      .waitFor();
    expect((await api.getChangeRequest(id)).reviews).toMatchObject([
      { reviewer: approver.username, reviewer_person: approver.username, decision: "approve" },
    ]);

    // Applied: the catalog and what dev resolves show it; the author's page follows without a reload.
    expect((await api.getParameter("stoploss")).parameter.default).toBe(-0.04);
    expect(await resolvedIn("dev", "stoploss")).toBe(-0.04);
    await admin
      .locator('[data-field="Default"]')
      .filter({ hasText: /^-0\.04$/ })
      .waitFor();
    await admin.goto("/catalog?q=stoploss");
    await admin
      .locator('tr[data-parameter-row="stoploss"] [data-cell="default"]')
      .filter({ hasText: "-0.04" })
      .waitFor();
  });
});

describe("a change that would leave nothing to resolve", () => {
  it("is refused with the server's detail: a required value without one, a version active somewhere", async () => {
    const { api } = session.platform;
    const before = await api.getParameter("smooth_d");
    const admin = await session.signedIn();
    // Required with no default: StochRsiStrategy's version in dev does not set it.
    await admin.goto("/catalog/parameters/smooth_d");
    await admin.getByRole("button", { name: "Edit" }).click();
    await admin.getByLabel("Required").click();
    await admin.getByLabel("Default").fill("");
    await admin.getByRole("button", { name: "Save definition" }).click();
    const refused = admin.getByTestId("catalog-change-error").and(admin.locator('[data-status="409"]'));
    await refused.getByText(`${STRATEGY} in dev`, { exact: false }).waitFor();
    expect(await api.getParameter("smooth_d")).toEqual(before);
    await expectAccessible(admin, "a catalog change refused with a conflict");

    // The version active in dev cannot be deprecated.
    const active = (await api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.dev as string;
    await admin.getByTestId("environment-switcher").selectOption("dev");
    await admin.goto(`/strategies/${STRATEGY}/versions/${active}`);
    await admin.getByRole("button", { name: "Deprecate" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("replaced");
    await dialog.getByRole("button", { name: "Deprecate for good" }).click();
    await dialog.getByRole("alert").filter({ hasText: "is active in dev" }).waitFor();
    expect((await api.showConfig(STRATEGY, active)).explicitly_deprecated).toBe(false);
  });
});

describe("a catalog change in a frozen environment", () => {
  it("is refused with the window; only an admin is offered the override", async () => {
    const { api } = session.platform;
    const now = Date.now();
    const window = await api.addFreezeWindow("dev", {
      reason: "exchange migration",
      starts_at: new Date(now - 60_000).toISOString(),
      ends_at: new Date(now + 3_600_000).toISOString(),
    });
    try {
      // smooth_k is not critical and dev needs no approval: it would apply at once, but dev is frozen.
      const before = (await api.getParameter("smooth_k")).parameter as CatalogParameterInput;
      const admin = await session.signedIn();
      await editDefault(admin, "smooth_k", "4");
      const refused = admin.getByTestId("catalog-change-error").and(admin.locator('[data-status="423"]'));
      await refused.getByText("Frozen: this catalog change would alter what a frozen environment resolves").waitFor();
      await refused.getByText(`dev: freeze window ${window.id} (exchange migration), until`).waitFor();
      expect((await api.getParameter("smooth_k")).parameter.default).toBe(before.default);
      await expectAccessible(admin, "a catalog change refused by a freeze");
      await screenshot(admin, "catalog-change-frozen");

      // The admin overrides it with a reason: sent as the freeze_override_reason query parameter.
      await refused.getByRole("button", { name: "Override the freeze" }).click();
      await refused.getByText("say why the freeze must be overridden").waitFor();
      await refused.getByLabel("Override reason (admin)").fill("fix agreed with the desk");
      const sent = admin.waitForRequest(
        (r) => r.method() === "PUT" && r.url().includes("/catalog/parameters/smooth_k"),
      );
      await refused.getByRole("button", { name: "Override the freeze" }).click();
      expect(new URL((await sent).url()).searchParams.get("freeze_override_reason")).toBe("fix agreed with the desk");
      await admin
        .getByRole("status")
        .filter({ hasText: /Saved as catalog revision \d+\./ })
        .waitFor();
      expect((await api.getParameter("smooth_k")).parameter.default).toBe(4);
      expect(await resolvedIn("dev", "smooth_k")).toBe(4);

      // A pending catalog change, applied by its last approval while dev is frozen: refused for an
      // approver with no override offered; another admin may override.
      const proposal = await api.updateParameter({
        ...((await api.getParameter("stoploss")).parameter as CatalogParameterInput),
        default: -0.03,
      });
      expect("change_request" in proposal).toBe(true);
      const id = (proposal as { change_request: { id: number } }).change_request.id;
      const reviewer = await session.signedIn(approver.username, approver.password);
      await reviewer.goto(`/change-requests/${id}`);
      await reviewer.getByRole("button", { name: "Approve" }).click();
      const blocked = reviewer.getByTestId("review-error").and(reviewer.locator('[data-status="423"]'));
      await blocked.getByText(`change request #${id} cannot be applied now`).waitFor();
      await blocked.getByText(`dev: freeze window ${window.id} (exchange migration), until`).waitFor();
      await expect(blocked.getByRole("button", { name: "Override the freeze" }).count()).resolves.toBe(0);
      await expect(blocked.getByLabel("Override reason (admin)").count()).resolves.toBe(0);
      expect((await api.getChangeRequest(id)).status).toBe("pending");
      await expectAccessible(reviewer, "an approval refused by a freeze");

      const other = await session.platform.user("ada", "admin");
      const ada = await session.signedIn(other.username, other.password);
      await ada.goto(`/change-requests/${id}`);
      await ada.getByRole("button", { name: "Approve" }).click();
      const adaBlocked = ada.getByTestId("review-error").and(ada.locator('[data-status="423"]'));
      await adaBlocked.getByLabel("Override reason (admin)").fill("stoploss fix cannot wait");
      await adaBlocked.getByRole("button", { name: "Override the freeze" }).click();
      await ada
        .getByRole("heading", { name: "Catalog change", exact: true })
        .locator("..")
        .locator('[data-status="applied"]')
        .waitFor();
      expect((await api.getParameter("stoploss")).parameter.default).toBe(-0.03);
    } finally {
      await api.removeFreezeWindow("dev", window.id);
    }
  });
});
