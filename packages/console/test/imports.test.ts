/**
 * Importing the legacy configuration from the console, in a real browser against the real server:
 * an admin uploads a JSON export of ftf_config and ftf_config_history, previews it (counts by
 * action, what becomes active and what was, the rows a page at a time; nothing written), applies
 * it (the versions carry their legacy author, time and comment, and the strategy's versions page
 * marks them), a bad file is named by the column it lacks and a row the catalog refuses by its
 * field; a viewer sees the imports but neither the form nor Undo; an admin undoes an import after
 * a confirmation (a refusal shown with the server's detail), and the list shows it undone.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentHash, formatConfigId, type JsonValue } from "@tradai/core";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";

const S = "FTF";
/** Not the header's environment (dev): the form's own choice is what counts. */
const ENV = "staging";
const AUTHORS = ["alice", "bob", "carol"];
const START = Date.parse("2025-06-01T00:00:00Z");
const REVERTED_ROW = 20;
const REVERTED_TO = 18;

type Values = Record<string, JsonValue>;

/**
 * 30 history rows by 3 authors, each changing the stoploss; row 20 reverts to row 18's content;
 * the live row holds what row 30 does. 29 distinct contents: 29 new versions, 2 rows the same as
 * an earlier one.
 */
function legacyExport() {
  const history: { values: Values; author: string; time: string; comment: string }[] = [];
  for (let i = 1; i <= 30; i++) {
    const values: Values =
      i === REVERTED_ROW
        ? structuredClone(history[REVERTED_TO - 1]?.values as Values)
        : { stoploss: -(0.01 + i / 1000), timeframe: "1h", risk: { max_open_trades: 3 + (i % 4) } };
    history.push({
      values,
      author: AUTHORS[(i - 1) % AUTHORS.length] as string,
      time: new Date(START + (i - 1) * 3_600_000).toISOString(),
      comment: i === REVERTED_ROW ? `revert to row ${REVERTED_TO}` : `tune ${i}`,
    });
  }
  const live = structuredClone(history[29]?.values as Values);
  const doc = {
    ftf_config: [{ id: 1, base_env: live }],
    ftf_config_history: history.map((r, i) => ({
      id: 1000 + i,
      // As a text column would export it, for some rows.
      base_env: i % 2 === 0 ? r.values : JSON.stringify(r.values),
      changed_by: r.author,
      changed_at: r.time,
      comment: r.comment,
    })),
  };
  return { history, live, text: JSON.stringify(doc, null, 2) };
}

const fixture = legacyExport();
const distinct = [...new Map(fixture.history.map((r) => [contentHash(r.values), r])).values()];
/** The version number each distinct content gets: after the strategy's own v1, in the history's order. */
const idOf = (values: Values) => {
  const hash = contentHash(values);
  return formatConfigId(2 + distinct.findIndex((r) => contentHash(r.values) === hash), hash);
};
const NEWEST = idOf(fixture.live);

let session: ConsoleSession;
let admin: Page;
let dir: string;
let own: string;

beforeAll(async () => {
  session = await startConsoleSession();
  admin = await session.signedIn();
  dir = mkdtempSync(join(tmpdir(), "tradai-import-"));
  // Before the import, the strategy has a version of its own, active where the import goes: an
  // undo has it to make active again.
  own = (await session.platform.api.createConfig({ strategy_name: S, config_data: { stoploss: -0.1, own: true } }))
    .config_id;
  await session.platform.api.activate(S, own, { environment: ENV });
});
afterAll(async () => {
  await session?.close();
});

/** Writes a file in the test's folder; returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const importForm = (page: Page) => page.getByRole("form", { name: "Import the legacy configuration" });

async function openImports(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
  await page.getByRole("heading", { name: "Imports", exact: true }).waitFor();
}

/** Chooses the file, the strategy and the environment, and previews. */
async function preview(form: Locator, path: string, strategy: string, environment: string) {
  await form.getByLabel("Legacy export (JSON)").setInputFiles(path);
  await form.getByLabel("Strategy").fill(strategy);
  await form.getByLabel("Environment").selectOption(environment);
  await form.getByRole("button", { name: "Preview" }).click();
}

describe("import of the legacy configuration", () => {
  it("previews an uploaded export: rows counted by action, the activation, the rows; nothing written", async () => {
    expect(distinct).toHaveLength(29);
    await admin.goto("/");
    await openImports(admin);
    await admin.getByText("No import yet.").waitFor();
    const form = importForm(admin);
    const apply = form.getByRole("button", { name: "Apply the import" });
    await expect(apply.isDisabled()).resolves.toBe(true);

    await form.getByLabel("Legacy export (JSON)").setInputFiles(file("ftf-export.json", fixture.text));
    await expect(form.getByTestId("import-file").textContent()).resolves.toBe(
      "ftf-export.json: 30 history row(s) and the live row.",
    );
    await preview(form, join(dir, "ftf-export.json"), S, ENV);
    const shown = admin.getByTestId("import-preview");
    await shown.waitFor();
    const counts = shown.getByTestId("import-counts");
    await expect(counts.locator('li[data-action="create"]').textContent()).resolves.toBe("29 new version(s)");
    await expect(counts.locator('li[data-action="same_as_row"]').textContent()).resolves.toBe(
      "2 same as an earlier row (reverts, repeats)",
    );
    await expect(counts.locator('li[data-action="existing"]').textContent()).resolves.toBe(
      "0 already a version (same content)",
    );
    await expect(shown.getByTestId("import-activation").textContent()).resolves.toBe(
      `${NEWEST} becomes active in ${ENV} (was ${own})`,
    );
    await expect(shown.getByTestId("import-summary").textContent()).resolves.toBe(
      `29 new version(s) of ${S} from 31 legacy row(s); ${NEWEST} becomes active in ${ENV} (was ${own})`,
    );

    // The rows a page at a time: the revert maps to the row it went back to, the live row to row 30.
    const steps = shown.getByTestId("import-steps");
    await expect(steps.locator("tbody tr").count()).resolves.toBe(25);
    await expect(shown.getByTestId("import-steps-range").textContent()).resolves.toBe("Rows 1–25 of 31");
    const first = steps.locator('tr[data-row="1"]');
    await expect(first.getAttribute("data-action")).resolves.toBe("create");
    await expect(first.locator('[data-cell="author"]').textContent()).resolves.toBe("alice");
    await first.getByText("2025-06-01 00:00:00 UTC").waitFor();
    await first.getByText(idOf(fixture.history[0]?.values as Values)).waitFor();
    const revert = steps.locator(`tr[data-row="${REVERTED_ROW}"]`);
    await expect(revert.getAttribute("data-action")).resolves.toBe("same_as_row");
    await revert.getByText(`as row ${REVERTED_TO}`).waitFor();
    await revert.getByText(idOf(fixture.history[REVERTED_TO - 1]?.values as Values)).waitFor();
    await revert.getByText(`revert to row ${REVERTED_TO}`).waitFor();
    await expectAccessible(admin, "the import preview");
    await screenshot(admin, "imports-preview");
    await shown.getByRole("navigation", { name: "Pages of legacy rows" }).getByRole("button", { name: "Next" }).click();
    await expect(shown.getByTestId("import-steps-range").textContent()).resolves.toBe("Rows 26–31 of 31");
    const live = steps.locator('tr[data-row="current"]');
    await expect(live.getAttribute("data-action")).resolves.toBe("same_as_row");
    await live.getByText("as row 30").waitFor();
    await live.getByText(NEWEST).waitFor();

    // A dry run: no import, no version, nothing else active.
    expect((await session.platform.api.listImports()).items).toEqual([]);
    const versions = await session.platform.api.listConfigs(S, { environment: ENV });
    expect(versions.items.map((v) => [v.config_id, v.imported])).toEqual([[own, null]]);
    expect((await session.platform.api.resolve(S, { environment: ENV })).config_version_id).toBe(own);
    await expect(apply.isDisabled()).resolves.toBe(false);
  });

  it("applies what was previewed: the outcome, and versions with their legacy author, time and comment", async () => {
    const form = importForm(admin);
    await form.getByRole("button", { name: "Apply the import" }).click();
    const outcome = admin.getByTestId("import-outcome");
    await outcome.waitFor();
    await expect(outcome.getAttribute("data-outcome")).resolves.toBe("applied");
    await outcome.getByText(`Imported: 29 new version(s) of ${S} from 31 legacy row(s).`).waitFor();
    await expect(outcome.getByText(/becomes active in/).textContent()).resolves.toBe(
      `${NEWEST} becomes active in ${ENV} (was ${own}).`,
    );
    // The preview is gone: Apply imports once.
    await expect(admin.getByTestId("import-preview").count()).resolves.toBe(0);
    await expect(form.getByRole("button", { name: "Apply the import" }).isDisabled()).resolves.toBe(true);

    const { items } = await session.platform.api.listImports();
    expect(items).toHaveLength(1);
    const made = items[0];
    expect(made).toMatchObject({
      strategy: S,
      environment: ENV,
      source: "ftf-export.json",
      applied_by: "admin",
      versions_created: 29,
      undone_at: null,
      activation: { action: "activate", config_id: NEWEST, previous: own },
    });
    const versions = await session.platform.api.listConfigs(S, { environment: ENV });
    expect(versions.items).toHaveLength(30);
    expect(versions.items.filter((v) => v.imported !== null)).toHaveLength(29);
    const second = await session.platform.api.showConfig(S, idOf(fixture.history[1]?.values as Values));
    expect(second.imported).toEqual({
      imported_from: "ftf-export.json",
      legacy_author: "bob",
      legacy_time: "2025-06-01T01:00:00.000Z",
      legacy_comment: "tune 2",
    });
    expect((await session.platform.api.resolve(S, { environment: ENV })).config_version_id).toBe(NEWEST);

    // The list shows it: when, by whom, where, rows and new versions, not undone.
    const row = admin.getByTestId("imports").locator(`tr[data-import="${made?.import_id}"]`);
    await row.waitFor();
    await expect(row.locator('[data-cell="by"]').textContent()).resolves.toBe("admin");
    await expect(row.locator('[data-cell="environment"]').textContent()).resolves.toBe(ENV);
    await expect(row.locator('[data-cell="rows"]').textContent()).resolves.toBe("31");
    await expect(row.locator('[data-cell="versions"]').textContent()).resolves.toBe("29");
    await expect(row.locator('[data-cell="state"]').textContent()).resolves.toBe("applied");

    // The outcome links to the import: every row and its version, kept.
    await outcome.getByRole("link", { name: "The import" }).click();
    await admin.waitForURL(`**/imports/${made?.import_id}`);
    await admin.getByRole("heading", { name: `Import into ${S} (${ENV})` }).waitFor();
    await expect(admin.getByTestId("import-steps-range").textContent()).resolves.toBe("Rows 1–25 of 31");
  });

  it("marks imported versions with their legacy author on the strategy's versions page and a version's page", async () => {
    await admin.goto("/imports");
    await admin.getByTestId("imports").getByRole("link", { name: S, exact: true }).click();
    await admin.waitForURL(`**/strategies/${S}/versions`);
    const table = admin.getByTestId("versions");
    const second = idOf(fixture.history[1]?.values as Values);
    const mark = table.locator(`tr[data-version="${second}"]`).getByTestId("imported-mark");
    await mark.waitFor();
    await expect(mark.textContent()).resolves.toBe("imported legacy: bob, 2025-06-01 01:00:00 UTC");
    await expect(mark.getAttribute("title")).resolves.toBe(
      "Imported from ftf-export.json; legacy author bob, 2025-06-01 01:00:00 UTC: tune 2",
    );
    await expect(
      table
        .locator(`tr[data-version="${idOf(fixture.history[2]?.values as Values)}"] [data-cell="legacy-author"]`)
        .textContent(),
    ).resolves.toBe("carol");
    // The strategy's own version was not imported.
    await expect(table.locator(`tr[data-version="${own}"]`).getByTestId("imported-mark").count()).resolves.toBe(0);
    await expect(table.getByTestId("imported-mark").count()).resolves.toBe(29);

    await table.getByRole("link", { name: second }).click();
    await admin.getByRole("heading", { name: second }).waitFor();
    const detail = (label: string) => admin.locator(`[data-detail="${label}"] dd`).textContent();
    await expect(detail("Imported")).resolves.toBe("imported from ftf-export.json");
    await expect(detail("Legacy author")).resolves.toBe("bob");
    await expect(detail("Legacy time")).resolves.toBe("2025-06-01 01:00:00 UTC");
    await expect(detail("Legacy comment")).resolves.toBe("tune 2");
    await expectAccessible(admin, "an imported version's page");
  });

  it("names the column a bad file lacks, and the row and key the catalog refuses", async () => {
    await admin.goto("/imports");
    const form = importForm(admin);
    const doc = JSON.parse(fixture.text) as { ftf_config_history: Record<string, unknown>[] };
    const row = doc.ftf_config_history[1] as Record<string, unknown>;
    row.config = row.base_env;
    delete row.base_env;
    await form.getByLabel("Legacy export (JSON)").setInputFiles(file("no-column.json", JSON.stringify(doc)));
    const error = form.getByRole("alert").filter({ hasText: "has no column" });
    await error.waitFor();
    await expect(error.textContent()).resolves.toBe(
      'ftf_config_history row 2 has no column "base_env" (it has id, changed_by, changed_at, comment, config); name it with the options',
    );
    await expect(form.getByLabel("Legacy export (JSON)").getAttribute("aria-invalid")).resolves.toBe("true");
    await form.getByLabel("Strategy").fill("FTF_BAD");
    await form.getByRole("button", { name: "Preview" }).click();
    await expect(admin.getByTestId("import-preview").count()).resolves.toBe(0);

    // Not JSON at all.
    await form.getByLabel("Legacy export (JSON)").setInputFiles(file("broken.json", "{ nope"));
    await form
      .getByRole("alert")
      .filter({ hasText: /^broken\.json: not valid JSON/ })
      .waitFor();

    // StochRsiStrategy's catalog bounds its stoploss to [-0.5, -0.001]: row 2 breaks it.
    const bounded = JSON.stringify({
      ftf_config_history: [
        { id: 1, base_env: { stoploss: -0.05 }, changed_by: "alice" },
        { id: 2, base_env: { stoploss: 0.2 }, changed_by: "bob" },
      ],
    });
    await preview(form, file("bounded.json", bounded), "StochRsiStrategy", ENV);
    const refusal = form.getByTestId("import-refusal");
    await refusal.waitFor();
    await expect(refusal.getAttribute("data-status")).resolves.toBe("422");
    await expect(
      refusal.locator("li[data-field]").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-field"))),
    ).resolves.toEqual(["history[1].values.stoploss"]);
    await refusal.getByText(/\(history row 2, key stoploss\)/).waitFor();
    await expect(admin.getByTestId("import-preview").count()).resolves.toBe(0);
    expect((await session.platform.api.listImports()).items).toHaveLength(1);
  });

  it("a viewer sees the imports, but neither the upload form nor Undo", async () => {
    const viewer = await session.platform.user("vera", "viewer");
    const page = await session.signedIn(viewer.username, viewer.password);
    await openImports(page);
    const row = page.getByTestId("imports").locator(`tr[data-strategy="${S}"]`);
    await row.waitFor();
    await expect(row.locator('[data-cell="versions"]').textContent()).resolves.toBe("29");
    await page.getByTestId("imports-read-only").waitFor();
    await expect(importForm(page).count()).resolves.toBe(0);
    await expect(page.getByLabel("Legacy export (JSON)").count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: /^Undo/ }).count()).resolves.toBe(0);
    await expect(page.getByRole("columnheader", { name: "Actions" }).count()).resolves.toBe(0);
    await page.close();
  });

  it("undoes an import after a confirmation; a refusal is shown with the server's detail", async () => {
    // An import into a strategy with nothing active before it: its undo is refused (409).
    const fresh = await session.platform.api.importLegacyDb({
      strategy: "FTF_FRESH",
      environment: ENV,
      source: "fresh.json",
      history: fixture.history.slice(0, 3),
      apply: true,
    });
    expect(fresh.outcome).toBe("applied");
    await admin.goto("/imports");
    const table = admin.getByTestId("imports");
    await table.locator(`tr[data-import="${fresh.import_id}"]`).getByRole("button", { name: /^Undo/ }).click();
    let dialog = admin.getByRole("dialog", { name: "Undo the import into FTF_FRESH?" });
    await dialog.getByText(/Nothing was active for FTF_FRESH in staging before this import/).waitFor();
    await dialog.getByRole("button", { name: "Undo the import" }).click();
    const refused = dialog.getByTestId("import-refusal");
    await refused.waitFor();
    await expect(refused.getAttribute("data-status")).resolves.toBe("409");
    await refused.getByText(/nothing was active for FTF_FRESH in staging before the import/).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await session.platform.api.getImport(fresh.import_id as string)).undone_at).toBeNull();

    const made = (await session.platform.api.listImports()).items.find((i) => i.strategy === S);
    const row = table.locator(`tr[data-import="${made?.import_id}"]`);
    await row.getByRole("button", { name: /^Undo/ }).click();
    dialog = admin.getByRole("dialog", { name: `Undo the import into ${S}?` });
    await expect(dialog.locator("p").first().textContent()).resolves.toBe(
      `Through history: nothing is deleted. The 29 version(s) it made are deprecated (their content and legacy provenance stay), and ${own} is active in ${ENV} again instead of ${NEWEST}.`,
    );
    // Cancel undoes nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await session.platform.api.resolve(S, { environment: ENV })).config_version_id).toBe(NEWEST);
    await row.getByRole("button", { name: /^Undo/ }).click();
    await dialog.getByRole("button", { name: "Undo the import" }).click();
    const outcome = admin.getByTestId("undo-outcome");
    await outcome.waitFor();
    await expect(outcome.textContent()).resolves.toMatch(
      new RegExp(
        `^Import into ${S} \\(${ENV}\\) undone: ${own} is active there again\\.29 version\\(s\\) deprecated: `,
      ),
    );
    await expect(row.getAttribute("data-undone")).resolves.toBe("true");
    await expect(row.locator('[data-cell="state"]').textContent()).resolves.toMatch(/^undone (\d+ s ago|just now)$/);
    await expect(row.getByRole("button", { name: /^Undo/ }).count()).resolves.toBe(0);

    expect((await session.platform.api.resolve(S, { environment: ENV })).config_version_id).toBe(own);
    expect((await session.platform.api.getImport(made?.import_id as string)).undone_at).toEqual(expect.any(String));
    const second = await session.platform.api.showConfig(S, idOf(fixture.history[1]?.values as Values), {
      environment: ENV,
    });
    expect(second).toMatchObject({ explicitly_deprecated: true, imported: { legacy_author: "bob" } });
  });
});
