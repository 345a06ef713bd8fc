/**
 * The catalog pages in a real browser against the real server: add a parameter through the form
 * (refused before submit when incoherent, the server's error at its field), edit, deprecate with a
 * replacement, coherence rules, revisions and their diff, the variants grid, and no write
 * controls for a non-admin.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  expectNoHorizontalOverflow,
  PHONE,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";
import { refusal } from "../../../test-support/platform.js";

const NAME = "console_test.slippage_bps";
const REPLACEMENT = "console_test.slippage_fraction";
const STRATEGY = "StochRsiStrategy";

let session: ConsoleSession;
let admin: Page;
beforeAll(async () => {
  session = await startConsoleSession();
  admin = await session.signedIn();
});
afterAll(async () => {
  await session?.close();
});

/** The error shown under the labelled field (Field links it with aria-describedby). */
const fieldError = (scope: Page | Locator, label: string) =>
  scope.getByLabel(label, { exact: true }).locator("xpath=..").getByRole("alert");

async function openNewParameter(page: Page) {
  await page.goto("/catalog");
  await page.getByRole("button", { name: "New parameter" }).click();
  return page.getByRole("dialog", { name: "New parameter" });
}

describe("catalog parameters", () => {
  it("lists the parameters grouped with the current revision and each strategy's policy", async () => {
    const listing = await session.platform.api.listCatalog();
    await admin.goto("/catalog");
    await admin.getByRole("heading", { name: "Catalog", exact: true }).waitFor();
    await admin
      .getByTestId("catalog-revision")
      .filter({ hasText: `Current revision: ${listing.revision}` })
      .waitFor();
    await admin
      .getByTestId("parameter-count")
      .filter({ hasText: `${listing.items.length} of ${listing.items.length} parameters` })
      .waitFor();
    const stoploss = admin.locator('tr[data-parameter-row="stoploss"]');
    await expect(stoploss.locator('[data-cell="default"]').textContent()).resolves.toBe("-0.05");
    await expect(stoploss.locator('[data-cell="bounds"]').textContent()).resolves.toBe("-0.5 … -0.001");
    await expect(stoploss.textContent()).resolves.toContain("critical");
    await expect(admin.getByTestId(`policy-${STRATEGY}`).textContent()).resolves.toBe(
      listing.policies[STRATEGY] ?? "open",
    );
    // Filters go to the server: type=enum, then text.
    await admin.getByLabel("Type").selectOption("enum");
    const enums = await session.platform.api.listCatalog({ type: "enum" });
    await admin
      .getByTestId("parameter-count")
      .filter({ hasText: `${enums.items.length} of ${listing.items.length} parameters` })
      .waitFor();
    expect(new URL(admin.url()).searchParams.get("type")).toBe("enum");
    await admin.locator('tr[data-parameter-row="timeframe"]').waitFor();
    await expect(admin.locator('tr[data-parameter-row="stoploss"]').count()).resolves.toBe(0);
    await admin.getByLabel("Type").selectOption("");
    await expectAccessible(admin, "the catalog");
    await screenshot(admin, "catalog");
  });

  it("lets an admin change a strategy's policy", async () => {
    await admin.goto("/catalog");
    const before = (await session.platform.api.listCatalog()).policies.TradingPipeline ?? "open";
    const next = before === "open" ? "strict" : "open";
    await admin.getByLabel("Policy of TradingPipeline").selectOption(next);
    await admin.getByRole("button", { name: "Set policy of TradingPipeline" }).click();
    await admin.getByTestId("policy-TradingPipeline").filter({ hasText: next }).waitFor();
    expect((await session.platform.api.listCatalog()).policies.TradingPipeline).toBe(next);
    // Back as it was, through the API; the page shows it after a reload.
    await session.platform.api.setCatalogPolicy("TradingPipeline", before);
    await admin.reload();
    await admin.getByTestId("policy-TradingPipeline").filter({ hasText: before }).waitFor();
  });

  it("refuses an incoherent definition before sending it, and nothing is created", async () => {
    const dialog = await openNewParameter(admin);
    await dialog.getByLabel("Name", { exact: true }).fill("Bad Name");
    await dialog.getByLabel("Type", { exact: true }).selectOption("int");
    await dialog.getByLabel("Description").fill("Slippage allowance");
    await dialog.getByLabel("Minimum").fill("60");
    await dialog.getByLabel("Maximum").fill("50");
    await dialog.getByRole("button", { name: "Add parameter" }).click();
    await fieldError(dialog, "Name").filter({ hasText: "must be a dotted lower-case path" }).waitFor();
    await fieldError(dialog, "Minimum").filter({ hasText: "min (60) is greater than max (50)" }).waitFor();
    await expectAccessible(admin, "the new-parameter dialog with errors");
    await screenshot(admin, "catalog-new-parameter");
    const revision = (await session.platform.api.listCatalog()).revision;
    // The good name, still min > max: still nothing sent.
    await dialog.getByLabel("Name", { exact: true }).fill(NAME);
    await dialog.getByRole("button", { name: "Add parameter" }).click();
    await fieldError(dialog, "Minimum").waitFor();
    expect((await refusal(session.platform.api.getParameter(NAME))).status).toBe(404);
    expect((await session.platform.api.listCatalog()).revision).toBe(revision);
  });

  it("shows the server's refusal at its field (a name that already exists)", async () => {
    const before = await session.platform.api.getParameter("stoploss");
    const dialog = await openNewParameter(admin);
    await dialog.getByLabel("Name", { exact: true }).fill("stoploss");
    await dialog.getByLabel("Description").fill("A second stoploss");
    await dialog.getByRole("button", { name: "Add parameter" }).click();
    await fieldError(dialog, "Name").filter({ hasText: "parameter stoploss already exists" }).waitFor();
    expect(await session.platform.api.getParameter("stoploss")).toEqual(before);
  });

  it("adds a parameter through the form: in the catalog, in the list, and for its strategy", async () => {
    const dialog = await openNewParameter(admin);
    await dialog.getByLabel("Name", { exact: true }).fill(NAME);
    await dialog.getByLabel("Type", { exact: true }).selectOption("int");
    await dialog.getByLabel("Description").fill("Slippage allowance per order");
    await dialog.getByLabel("Group").fill("execution");
    await dialog.getByLabel("Unit").fill("bps");
    await dialog.getByLabel("Minimum").fill("0");
    await dialog.getByLabel("Maximum").fill("50");
    await dialog.getByLabel("Step").fill("1");
    await dialog.getByLabel("Default").fill("5");
    await dialog.getByLabel("Reload").selectOption("hot");
    await dialog.getByLabel("Criticality").selectOption("critical");
    await dialog.getByLabel("Variants").fill("2, 5, 10");
    await dialog.getByLabel("Strategies").fill(STRATEGY);
    await dialog.getByRole("button", { name: "Add parameter" }).click();
    await admin.waitForURL(`**/catalog/parameters/${encodeURIComponent(NAME)}`);
    await admin.getByRole("heading", { name: NAME }).waitFor();

    const { parameter } = await session.platform.api.getParameter(NAME);
    expect(parameter).toMatchObject({
      name: NAME,
      type: "int",
      description: "Slippage allowance per order",
      group: "execution",
      unit: "bps",
      min: 0,
      max: 50,
      step: 1,
      default: 5,
      reload: "hot",
      criticality: "critical",
      required: false,
      deprecated: false,
      variants: [2, 5, 10],
      strategies: [STRATEGY],
    });
    const forStrategy = await session.platform.api.listCatalog({ strategy: STRATEGY });
    expect(forStrategy.items.map((i) => i.parameter.name)).toContain(NAME);
    const forOther = await session.platform.api.listCatalog({ strategy: "TradingPipeline" });
    expect(forOther.items.map((i) => i.parameter.name)).not.toContain(NAME);

    await admin.goto(`/catalog?q=slippage&strategy=${STRATEGY}`);
    const row = admin.locator(`tr[data-parameter-row="${NAME}"]`);
    await expect(row.locator('[data-cell="default"]').textContent()).resolves.toBe("5");
    await expect(row.locator('[data-cell="bounds"]').textContent()).resolves.toBe("0 … 50, step 1");
    await expect(row.textContent()).resolves.toContain("hot reload");
    await admin.locator('[data-group="execution"]').waitFor();

    // The parameter editor is built from the catalog: the new parameter is there, typed and described.
    await admin.goto(`/strategies/${STRATEGY}/edit`);
    const field = admin.locator(`[data-parameter="${NAME}"]`);
    await field.waitFor();
    await expect(field.textContent()).resolves.toContain("Slippage allowance per order");
    await expect(field.textContent()).resolves.toContain("critical");
    await expect(field.textContent()).resolves.toContain("Unit: bps. Min 0. Max 50. Step 1. Default: 5.");
    await expect(field.getByRole("spinbutton").getAttribute("max")).resolves.toBe("50");
    // The demo has no StochRsiStrategy version active: nothing is in force, and the page says so.
    await expect(field.getByTestId("provenance").textContent()).resolves.toBe(
      "Current value: none: no version is active in this environment",
    );
  });

  it("edits the definition (a new revision) and deprecates it with a replacement", async () => {
    await session.platform.api.createParameter({
      name: REPLACEMENT,
      type: "number",
      description: "Slippage allowance as a fraction",
      group: "execution",
      min: 0,
      max: 0.005,
      default: 0.0005,
      strategies: [STRATEGY],
    });
    await admin.goto(`/catalog/parameters/${encodeURIComponent(NAME)}`);
    await admin.getByRole("button", { name: "Edit" }).click();
    // The edit form is prefilled with the definition; the name cannot change.
    await expect(admin.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe(NAME);
    await expect(admin.getByLabel("Variants").inputValue()).resolves.toBe("2, 5, 10");
    await admin.getByLabel("Default").fill("70");
    await admin.getByRole("button", { name: "Save definition" }).click();
    await fieldError(admin, "Default").filter({ hasText: "must be at most 50" }).waitFor();
    await admin.getByLabel("Default").fill("7");
    await admin.getByLabel("Maximum").fill("40");
    await admin.getByLabel("Deprecated values").fill("1 -> 2: too small to cover fees");
    await admin.getByLabel("Reload").selectOption("between_trades");
    await admin.getByRole("button", { name: "Save definition" }).click();
    // Wait for the page to say it saved, then compare with what the server holds.
    const savedAs = admin.getByRole("status").filter({ hasText: /Saved as catalog revision \d+\./ });
    await savedAs.waitFor();
    const { revision } = await session.platform.api.listCatalog();
    await expect(savedAs.textContent()).resolves.toBe(`Saved as catalog revision ${revision}.`);
    const edited = await session.platform.api.getParameter(NAME);
    expect(edited.parameter).toMatchObject({
      default: 7,
      max: 40,
      min: 0,
      deprecated_values: { "1": { replacement: 2, reason: "too small to cover fees" } },
      reload: "between_trades",
    });
    expect(edited.updated_revision).toBe(revision);
    await admin
      .locator('[data-field="Reload"]')
      .filter({ hasText: /^between_trades$/ })
      .waitFor();
    await admin.getByText("between trades", { exact: true }).first().waitFor();
    await admin.locator('[data-field="Default"]').filter({ hasText: /^7$/ }).waitFor();
    await admin
      .locator('[data-field="Deprecated values"]')
      .filter({ hasText: /^1 → 2 \(too small to cover fees\)$/ })
      .waitFor();
    await expectAccessible(admin, "the catalog parameter page");
    await screenshot(admin, "catalog-parameter");

    await admin.getByRole("button", { name: "Deprecate" }).click();
    const dialog = admin.getByRole("dialog", { name: `Deprecate ${NAME}` });
    await dialog.getByRole("button", { name: "Deprecate parameter" }).click();
    await dialog.getByText("say why").waitFor();
    await dialog.getByLabel("Replacement").selectOption(REPLACEMENT);
    await dialog.getByLabel("Reason").fill("fractions are used everywhere else");
    await dialog.getByRole("button", { name: "Deprecate parameter" }).click();
    await dialog.waitFor({ state: "hidden" });
    await admin.getByTestId("deprecated-badge").first().waitFor();
    await expect(admin.getByTestId("replacement").first().textContent()).resolves.toBe(REPLACEMENT);
    await admin.locator('[data-field="Deprecation reason"]').filter({ hasText: "fractions are used" }).waitFor();
    const deprecated = await session.platform.api.getParameter(NAME);
    expect(deprecated.parameter).toMatchObject({
      deprecated: true,
      replacement: REPLACEMENT,
      reason: "fractions are used everywhere else",
      default: 7,
    });
    // No more Deprecate control once deprecated.
    await expect(admin.getByRole("button", { name: "Deprecate" }).count()).resolves.toBe(0);
    // The list shows it too.
    await admin.goto("/catalog?deprecated=true&q=slippage");
    const row = admin.locator(`tr[data-parameter-row="${NAME}"]`);
    await row.getByTestId("deprecated-badge").waitFor();
    await expect(row.getByTestId("replacement").textContent()).resolves.toBe(REPLACEMENT);
    await expect(admin.locator(`tr[data-parameter-row="${REPLACEMENT}"]`).count()).resolves.toBe(0);
  });
});

describe("coherence rules", () => {
  it("refuses a bad expression at the field, adds a good one, removes it", async () => {
    await admin.goto("/catalog?view=rules");
    await admin.locator('tr[data-rule="oversold_below_overbought"]').waitFor();
    await admin.getByLabel("Rule name").fill("console_test_rule");
    await admin.getByLabel("Rule strategies").fill(STRATEGY);
    await admin.getByLabel("Expression").fill("oversold + no_such_parameter < overbought");
    await admin.getByLabel("Message").fill("the oversold level plus a margin must stay below overbought");
    await admin.getByRole("button", { name: "Save rule" }).click();
    await fieldError(admin, "Expression").filter({ hasText: "no_such_parameter" }).waitFor();
    const rules = await session.platform.api.listRules();
    expect(rules.items.map((r) => r.name)).not.toContain("console_test_rule");

    await admin.getByLabel("Expression").fill("oversold + 10 < overbought");
    await admin.getByRole("button", { name: "Save rule" }).click();
    const row = admin.locator('tr[data-rule="console_test_rule"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("oversold + 10 < overbought");
    const saved = (await session.platform.api.listRules()).items.find((r) => r.name === "console_test_rule");
    expect(saved).toEqual({
      name: "console_test_rule",
      expression: "oversold + 10 < overbought",
      message: "the oversold level plus a margin must stay below overbought",
      strategies: [STRATEGY],
    });
    await expectAccessible(admin, "the catalog rules");
    await screenshot(admin, "catalog-rules");

    admin.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Remove rule console_test_rule" }).click();
    await row.waitFor({ state: "detached" });
    expect((await session.platform.api.listRules()).items.map((r) => r.name)).not.toContain("console_test_rule");
  });
});

describe("revisions and variants", () => {
  it("lists the revisions and diffs two of them, showing the change just made", async () => {
    const { items } = await session.platform.api.catalogRevisions();
    const latest = items[0];
    expect(latest?.summary).toBe("remove rule console_test_rule");
    await admin.goto("/catalog?view=revisions");
    const table = admin.getByRole("table", { name: "Catalog revisions" });
    await table.locator(`tr[data-revision="${latest?.revision}"]`).filter({ hasText: latest?.summary }).waitFor();
    // By default: the latest against the one before, i.e. the rule removed.
    const diff = admin.getByRole("table", { name: /^Changes from revision/ });
    await diff.locator('tr[data-diff-path="rule:console_test_rule"]').filter({ hasText: "removed" }).waitFor();

    // The edit of the parameter (the older of its two updates; the newer is the deprecation):
    // default, max, the deprecated value and the reload class.
    const update = items.filter((r) => r.summary === `update parameter ${NAME}`).at(-1);
    expect(update).toBeDefined();
    const u = update?.revision as number;
    await admin.getByLabel("From revision", { exact: true }).selectOption(String(u - 1));
    await admin.getByLabel("To revision", { exact: true }).selectOption(String(u));
    const changed = diff.locator(`tr[data-diff-path="parameter:${NAME} › default"]`);
    await changed.waitFor();
    await expect(changed.locator("td").nth(2).textContent()).resolves.toBe("5");
    await expect(changed.locator("td").nth(3).textContent()).resolves.toBe("7");
    const api = await session.platform.api.diffCatalogRevisions(u - 1, u);
    expect(Object.keys(api.changed)).toEqual([`parameter:${NAME}`]);
    await expect(diff.locator("tbody tr").count()).resolves.toBe(4);
    const reload = diff.locator(`tr[data-diff-path="parameter:${NAME} › reload"]`);
    await expect(reload.locator("td").nth(2).textContent()).resolves.toBe("hot");
    await expect(reload.locator("td").nth(3).textContent()).resolves.toBe("between_trades");
    await diff
      .locator(`tr[data-diff-path="parameter:${NAME} › deprecated_values"]`)
      .filter({ hasText: "added" })
      .waitFor();
    // Each row shows its own changes: the deprecation.
    const deprecation = items.find((r) => r.summary === `update parameter ${NAME}`)?.revision as number;
    await admin.getByRole("button", { name: `Show the changes of revision ${deprecation}` }).click();
    await admin.getByRole("heading", { name: `Diff of revision ${deprecation - 1} and ${deprecation}` }).waitFor();
    await diff
      .locator(`tr[data-diff-path="parameter:${NAME} › replacement"]`)
      .filter({ hasText: REPLACEMENT })
      .waitFor();
    await diff.locator(`tr[data-diff-path="parameter:${NAME} › deprecated"]`).filter({ hasText: "true" }).waitFor();
    await expectAccessible(admin, "the catalog revisions");
    await screenshot(admin, "catalog-revisions");
  });

  it("shows the variants grid of the picked parameters", async () => {
    await admin.goto("/catalog?view=variants");
    await admin.getByLabel("rsi_period", { exact: true }).check();
    await admin.getByLabel("oversold", { exact: true }).check();
    const grid = await session.platform.api.variantGrid(["rsi_period", "oversold"]);
    await admin
      .getByTestId("grid-size")
      .filter({ hasText: `${grid.size} combinations at catalog revision` })
      .waitFor();
    const table = admin.getByRole("table", { name: "Variants grid" });
    await expect(table.locator("tbody tr").count()).resolves.toBe(grid.size);
    const first = grid.combinations[0] as Record<string, unknown>;
    await expect(table.locator("tbody tr").first().locator("td").nth(1).textContent()).resolves.toBe(
      String(first.rsi_period),
    );
    await expectAccessible(admin, "the variants grid");
    await screenshot(admin, "catalog-variants");
  });
});

describe("a non-admin", () => {
  it("reads the catalog but is offered no write control", async () => {
    const editor = await session.platform.user("catalog-editor", "editor");
    const page = await session.signedIn(editor.username, editor.password, PHONE);
    await page.goto("/catalog");
    await page.locator('tr[data-parameter-row="stoploss"]').waitFor();
    await page.getByTestId(`policy-${STRATEGY}`).waitFor();
    await expect(page.getByRole("button", { name: "New parameter" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: /^Set policy/ }).count()).resolves.toBe(0);
    await expectNoHorizontalOverflow(page, "the catalog on a phone");
    await page.goto("/catalog?view=rules");
    await page.locator('tr[data-rule="oversold_below_overbought"]').waitFor();
    await expect(page.getByRole("button", { name: /Remove|Edit|Save rule/ }).count()).resolves.toBe(0);
    await page.goto("/catalog/parameters/stoploss");
    await page.locator('[data-field="Default"]').filter({ hasText: "-0.05" }).waitFor();
    await expect(page.getByRole("button", { name: /Edit|Deprecate/ }).count()).resolves.toBe(0);
    await expectNoHorizontalOverflow(page, "a catalog parameter on a phone");
    // A parameter that does not exist: the server's 404, not an empty page.
    await page.goto("/catalog/parameters/no.such_parameter");
    await page.getByRole("alert").filter({ hasText: "no parameter no.such_parameter in the catalog" }).waitFor();
  });
});

describe("a change that would invalidate active versions", () => {
  it("is refused with the server's message, and applied only when forced with a reason", async () => {
    const before = await session.platform.api.getParameter("stake_amount");
    await admin.goto("/catalog/parameters/stake_amount");
    await admin.getByRole("button", { name: "Edit" }).click();
    // MeanReversionDemo's active versions stake 200: a max of 150 for it makes them invalid.
    await admin.getByLabel("Maximum").fill("150");
    await admin.getByLabel("Strategies").fill(`${STRATEGY}, MeanReversionDemo`);
    await admin.getByRole("button", { name: "Save definition" }).click();
    const force = admin.getByTestId("force-change");
    await force.getByRole("alert").filter({ hasText: "would make active versions invalid" }).waitFor();
    await expect(force.getByRole("alert").first().textContent()).resolves.toContain("MeanReversionDemo/");
    expect(await session.platform.api.getParameter("stake_amount")).toEqual(before);

    await force.getByRole("button", { name: "Apply anyway" }).click();
    await fieldError(force, "Reason for forcing").waitFor();
    await force.getByLabel("Reason for forcing").fill("demo strategy is being retired");
    await force.getByRole("button", { name: "Apply anyway" }).click();
    const savedAs = admin.getByRole("status").filter({ hasText: /Saved as catalog revision \d+\./ });
    await savedAs.waitFor();
    const { items } = await session.platform.api.catalogRevisions();
    await expect(savedAs.textContent()).resolves.toBe(`Saved as catalog revision ${items[0]?.revision}.`);
    expect(items[0]).toMatchObject({
      summary: "update parameter stake_amount",
      forced_reason: "demo strategy is being retired",
    });
    const after = await session.platform.api.getParameter("stake_amount");
    expect(after.parameter).toMatchObject({ max: 150, strategies: [STRATEGY, "MeanReversionDemo"] });
    await admin.goto("/catalog?view=revisions");
    await admin
      .locator(`tr[data-revision="${items[0]?.revision}"]`)
      .filter({ hasText: "forced" })
      .filter({ hasText: "demo strategy is being retired" })
      .waitFor();
  });
});
