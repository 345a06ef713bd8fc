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
import { eventually } from "../../../test-support/platform.js";

let session: ConsoleSession;
beforeAll(async () => {
  // The whole audit chain checked every second: the tamper alarm rings within the test's patience.
  session = await startConsoleSession({ TRADAI_AUDIT_VERIFY_INTERVAL: "1" });
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
    await page.getByText("must not be empty", { exact: false }).first().waitFor();
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

describe("the tamper alarm", () => {
  it("shows a broken audit chain on the dashboard, naming the entry, and nothing once it holds again", async () => {
    const { api, db } = session.platform;
    const page = await session.signedIn();
    await page.getByTestId("active-versions").waitFor();
    await expect(page.getByTestId("audit-alarm").count()).resolves.toBe(0);

    const seq = 3;
    const { rows } = await db.query<{ actor: string }>("SELECT actor FROM audit_entries WHERE seq = $1", [seq]);
    await db.exec("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_guard");
    try {
      await db.query("UPDATE audit_entries SET actor = 'mallory' WHERE seq = $1", [seq]);
      await eventually(async () => ((await api.auditStatus()).ok ? undefined : true), "the alarm");
      await page.reload();
      const alarm = page.getByTestId("audit-alarm");
      await alarm.waitFor();
      await expect(alarm.textContent()).resolves.toContain(
        `Entry seq ${seq}: its content does not match its hash (altered).`,
      );
      await screenshot(page, "dashboard-audit-alarm");
      await alarm.getByRole("link", { name: `seq ${seq}` }).click();
      await page.getByRole("heading", { name: `Audit entry ${seq}` }).waitFor();
      await db.query("UPDATE audit_entries SET actor = $2 WHERE seq = $1", [seq, rows[0]?.actor]);
    } finally {
      await db.exec("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_guard");
    }
    await eventually(async () => ((await api.auditStatus()).ok ? true : undefined), "the alarm cleared");
    await page.goto("/");
    await page.getByTestId("active-versions").waitFor();
    await expect(page.getByTestId("audit-alarm").count()).resolves.toBe(0);
  });
});
