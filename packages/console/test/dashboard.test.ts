/** Sign-in, the header, and the dashboard following the change feed live, in a real browser. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  expectNoHorizontalOverflow,
  PHONE,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";

let session: ConsoleSession;
beforeAll(async () => {
  session = await startConsoleSession();
});
afterAll(async () => {
  await session?.close();
});

describe("sign-in", () => {
  it("refuses a wrong password with the server's message and lets the right one in", async () => {
    const page = await session.anonymous();
    await page.goto("/");
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /password/i })
      .waitFor();
    expect(page.url()).toMatch(/\/sign-in$/);
    await expectAccessible(page, "the sign-in page");
    await screenshot(page, "sign-in");

    await page.getByLabel("Password").fill("test-admin-password-0");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await expect(page.getByTestId("current-user").textContent()).resolves.toBe("admin");
    await expect(page.getByTestId("current-role").textContent()).resolves.toBe("admin");
  });

  it("asks for the fields before sending anything", async () => {
    const page = await session.anonymous();
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Too small", { exact: false }).first().waitFor();
    expect(page.url()).toMatch(/\/sign-in$/);
  });
});

describe("dashboard", () => {
  it("shows every strategy's active version per environment, and follows an activation live", async () => {
    const page = await session.signedIn();
    const table = page.getByTestId("active-versions");
    const demoRow = table.locator('tr[data-strategy="MeanReversionDemo"]');
    await demoRow.waitFor();
    const api = session.platform.api;
    const { items } = await api.listStrategies();
    const demo = items.find((s) => s.strategy_name === "MeanReversionDemo");
    expect(demo).toBeDefined();
    for (const [env, active] of Object.entries(demo?.active ?? {})) {
      await expect(demoRow.locator(`td[data-environment="${env}"]`).textContent()).resolves.toBe(active ?? "none");
    }
    await page.getByTestId("live-status").and(page.locator('[data-status="live"]')).waitFor();
    await expectAccessible(page, "the dashboard");
    await screenshot(page, "dashboard");

    // A new version activated in dev by someone else appears without a reload.
    const created = await api.createConfig({
      strategy_name: "MeanReversionDemo",
      config_data: {
        ...(await api.showConfig("MeanReversionDemo", demo?.active.dev as string)).config_data,
        note: "live",
      },
    });
    await session.platform.activateApproved("MeanReversionDemo", created.config_id, "dev");
    await demoRow.locator('td[data-environment="dev"]').filter({ hasText: created.config_id }).waitFor();
    await page
      .getByTestId("last-change")
      .filter({ hasText: `MeanReversionDemo ${created.config_id} activated in dev by` })
      .waitFor();
  });

  it("fits a phone screen", async () => {
    const page = await session.signedIn("admin", "test-admin-password-0", PHONE);
    await page.getByTestId("active-versions").waitFor();
    await expectNoHorizontalOverflow(page, "the dashboard on a phone");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).waitFor();
    await screenshot(page, "phone-dashboard");
  });
});
