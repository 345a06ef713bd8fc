/**
 * A new strategy from the Strategies page, in a real browser against the real server: the button,
 * the catalog policy chosen among the strategies the catalog describes (which names the strategy),
 * the first version's typed fields prefilled with the catalog's defaults and checked before
 * anything is sent (bounds, coherence rules, a taken name), the server's refusal at the field it
 * names, and the landing on the new strategy's versions. A viewer is offered none of it.
 */
import { type CatalogParameter, type CatalogParameterInput, catalogParameter } from "@tradai/core";
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

let session: ConsoleSession;
let editor: { username: string; password: string };
beforeAll(async () => {
  session = await startConsoleSession();
  editor = await session.platform.user("nina", "editor");
});
afterAll(async () => {
  await session?.close();
});

const field = (page: Page, name: string) => page.locator(`[data-parameter="${name}"]`);
const strategyNames = async () => (await session.platform.api.listStrategies()).items.map((s) => s.strategy_name);
/** The demo catalog's parameters of a strategy, with the server's defaults filled in. */
const parametersOf = async (strategy: string): Promise<CatalogParameter[]> =>
  (await session.platform.api.listCatalog({ strategy })).items.map((i) => catalogParameter.parse(i.parameter));

async function openForm(page: Page) {
  await page.goto("/strategies");
  await page.getByRole("link", { name: "New strategy" }).click();
  await page.getByRole("heading", { name: "New strategy" }).waitFor();
  await page.getByLabel("Name", { exact: true }).waitFor();
}

describe("a new strategy", () => {
  it("is created from the Strategies page with a catalog strategy's parameters, defaults prefilled, and lands on its versions", async () => {
    const page = await session.signedIn(editor.username, editor.password);
    await openForm(page);
    expect(new URL(page.url()).pathname).toBe("/strategies/new");
    expect(await strategyNames()).not.toContain("StochRsiStrategy");

    // The catalog's strategies are offered with their policy; choosing one names the new strategy.
    const parameters = await parametersOf("StochRsiStrategy");
    expect(parameters.length).toBeGreaterThan(5);
    const policy = page.getByLabel("Catalog policy", { exact: true });
    const offered = await policy.locator("option").allTextContents();
    expect(offered).toContain(`StochRsiStrategy: strict, ${parameters.length} parameters`);
    expect(offered.some((o) => o.startsWith("TradingPipeline: strict,"))).toBe(true);
    expect(offered.some((o) => o.startsWith("MeanReversionDemo"))).toBe(false);
    await policy.selectOption("StochRsiStrategy");
    await expect(page.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("StochRsiStrategy");

    // A field per parameter (the groups come a frame apart), each prefilled with its catalog default.
    await expect.poll(() => page.locator("[data-parameter]").count()).toBe(parameters.length);
    await expect(field(page, "rsi_period").getByRole("spinbutton").inputValue()).resolves.toBe("14");
    await expect(field(page, "stoploss").getByRole("spinbutton").inputValue()).resolves.toBe("-0.05");
    await expect(field(page, "timeframe").getByRole("combobox").locator("option:checked").textContent()).resolves.toBe(
      "1h",
    );
    await expectAccessible(page, "the new strategy form");
    await screenshot(page, "new-strategy");

    // Checked before anything is sent, as the editor checks: a bound, and a coherence rule.
    let posts = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/configs") posts++;
    });
    await field(page, "rsi_period").getByRole("spinbutton").fill("500");
    await page.getByRole("button", { name: "Create strategy" }).click();
    await field(page, "rsi_period").getByRole("alert").filter({ hasText: "must be at most 100" }).waitFor();
    await field(page, "rsi_period").getByRole("spinbutton").fill("21");
    await field(page, "oversold").getByRole("spinbutton").fill("50");
    await field(page, "overbought").getByRole("spinbutton").fill("50");
    await page.getByRole("button", { name: "Create strategy" }).click();
    await field(page, "oversold")
      .getByRole("alert")
      .filter({ hasText: "rule oversold_below_overbought violated" })
      .waitFor();
    expect(posts).toBe(0);
    expect(await strategyNames()).not.toContain("StochRsiStrategy");

    await field(page, "overbought").getByRole("spinbutton").fill("80");
    await page.getByLabel("Description", { exact: true }).fill("first StochRSI parameters");
    await page.getByRole("button", { name: "Create strategy" }).click();
    await page.waitForURL(/\/strategies\/StochRsiStrategy\/versions$/);
    expect(posts).toBe(1);

    // One version, holding every default but the values typed, made by the editor.
    const { items } = await session.platform.api.listConfigs("StochRsiStrategy");
    expect(items).toHaveLength(1);
    const version = items[0];
    const expected: Record<string, unknown> = {};
    for (const p of parameters) if (!p.deprecated && p.default !== undefined) expected[p.name] = p.default;
    expect(version?.config_data).toEqual({ ...expected, rsi_period: 21, oversold: 50 });
    expect(version).toMatchObject({ created_by: editor.username, description: "first StochRSI parameters" });
    await page.getByRole("heading", { name: "Versions of StochRsiStrategy" }).waitFor();
    await page
      .getByText(version?.config_id as string, { exact: true })
      .first()
      .waitFor();

    // It is a strategy like the others now: listed, and no longer offered as new.
    await page.goto("/strategies");
    await page.getByTestId("strategies").locator('tr[data-strategy="StochRsiStrategy"]').waitFor();
    await openForm(page);
    const after = await page.getByLabel("Catalog policy", { exact: true }).locator("option").allTextContents();
    expect(after.some((o) => o.startsWith("StochRsiStrategy"))).toBe(false);
  });

  it("refuses a taken name at its field, and shows the server's refusal next to the parameter it names", async () => {
    const { api } = session.platform;
    const page = await session.signedIn(editor.username, editor.password);
    await openForm(page);
    const name = page.getByLabel("Name", { exact: true });
    await name.fill("MeanReversionDemo");
    await name.blur();
    await page.getByRole("alert").filter({ hasText: "MeanReversionDemo exists already" }).waitFor();
    await expect(name.getAttribute("aria-invalid")).resolves.toBe("true");
    await name.fill("not a name!");
    await page.getByRole("button", { name: "Create strategy" }).click();
    await page.getByRole("alert").filter({ hasText: "must start with a letter" }).waitFor();

    await page.getByLabel("Catalog policy", { exact: true }).selectOption("TradingPipeline");
    await expect(name.inputValue()).resolves.toBe("TradingPipeline");
    await field(page, "risk.take_profit").getByRole("spinbutton").waitFor();
    // The bound tightened after the form opened: the page holds the old one, the server refuses.
    const definition = (await api.getParameter("risk.take_profit")).parameter as CatalogParameterInput;
    await api.updateParameter({ ...definition, max: 1 });
    try {
      await field(page, "risk.take_profit").getByRole("spinbutton").fill("1.5");
      const refused = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/configs",
      );
      await page.getByRole("button", { name: "Create strategy" }).click();
      expect((await refused).status()).toBe(422);
      await field(page, "risk.take_profit").getByRole("alert").filter({ hasText: "must be at most 1" }).waitFor();
      await expect(field(page, "risk.take_profit").getByRole("spinbutton").getAttribute("aria-invalid")).resolves.toBe(
        "true",
      );
      expect(new URL(page.url()).pathname).toBe("/strategies/new");
      expect(await strategyNames()).not.toContain("TradingPipeline");
    } finally {
      await api.updateParameter(definition);
    }
  });

  it("works on a phone", async () => {
    const page = await session.signedIn(editor.username, editor.password, PHONE);
    await openForm(page);
    await page.getByLabel("Catalog policy", { exact: true }).selectOption("TradingPipeline");
    await field(page, "risk.take_profit").getByRole("spinbutton").waitFor();
    await expectNoHorizontalOverflow(page, "the new strategy form on a phone");
    await screenshot(page, "phone-new-strategy");
  });

  it("is offered to no viewer", async () => {
    const viewer = await session.platform.user("vera", "viewer");
    const page = await session.signedIn(viewer.username, viewer.password);
    await page.goto("/strategies");
    await page.getByTestId("strategies").waitFor();
    await expect(page.getByRole("link", { name: "New strategy" }).count()).resolves.toBe(0);
    await page.goto("/strategies/new");
    await page.getByText("Your role may not create config versions.").waitFor();
    await expect(page.getByRole("button", { name: "Create strategy" }).count()).resolves.toBe(0);
  });
});
