/**
 * Pages load on first visit (each its own chunk). When a page's code cannot be loaded (the console
 * was updated under an open tab and the old chunk is gone, or the network dropped), the page says
 * so and offers a reload; the rest of the console keeps working.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleSession, startConsoleSession } from "../../../test-support/browser.js";

let session: ConsoleSession;
beforeAll(async () => {
  session = await startConsoleSession();
});
afterAll(async () => {
  await session?.close();
});

describe("pages loaded on demand", () => {
  it("a page whose code fails to load says so and offers a reload; other pages still open", async () => {
    const page = await session.signedIn();
    await page.goto("/");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    // The first load carried the dashboard; the audit page's chunk is fetched when first visited.
    const fetched: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/assets/")) fetched.push(new URL(r.url()).pathname);
    });
    await page.route("**/assets/audit-page-*.js", (route) => route.abort());
    await page.getByRole("link", { name: "Audit trail" }).first().click();
    const alert = page.getByRole("alert").filter({ hasText: "This page could not be loaded" });
    await alert.waitFor();
    expect(await alert.getByRole("button", { name: "Reload the console" }).isVisible()).toBe(true);
    expect(fetched.some((p) => /\/assets\/audit-page-.*\.js$/.test(p))).toBe(true);

    await page.getByRole("link", { name: "Workers" }).first().click();
    await page.getByRole("heading", { name: "Workers", exact: true }).waitFor();
    expect(await alert.count()).toBe(0);
  });
});
