/**
 * The cut-over from the legacy configuration, in a real browser against the real server: a legacy
 * mirror set (off: no legacy database needed) shows on the Workers page with its status and the row
 * it writes; an import of the legacy config-versions registry shows, on its page, each item's
 * legacy id (kept or not), status and successor, the registry's inconsistencies, and an import that
 * activates nothing says so.
 */
import { contentHash, formatConfigId, type JsonValue, type LegacyConfigVersion } from "@tradai/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";

const MIRRORED = "FTF";
/** Strategies only this file uses: one whose registry has an ACTIVE item, one whose has none. */
const REGISTRY = "RegistryCutover";
const DRAFTS_ONLY = "RegistryDraftsOnly";
const ENV = "dev";
const BAD_HASH = "f".repeat(64);

let session: ConsoleSession;
let page: Page;
beforeAll(async () => {
  session = await startConsoleSession();
  page = await session.signedIn();
});
afterAll(async () => {
  await session?.close();
});

const api = () => session.platform.api;

type Values = Record<string, JsonValue>;

/** A registry item as the legacy tool wrote it: its id from its version number and hash. */
function item(
  strategy: string,
  n: number,
  data: Values,
  status: "ACTIVE" | "DEPRECATED" | "DRAFT",
  extra: Partial<LegacyConfigVersion> = {},
): LegacyConfigVersion {
  const hash = extra.config_hash ?? contentHash(data);
  return {
    strategy_name: strategy,
    config_id: formatConfigId(n, hash),
    config_hash: hash,
    config_data: data,
    status,
    version_number: n,
    created_by: `author-${n}`,
    created_at: new Date(Date.parse("2025-03-01T00:00:00Z") + n * 86_400_000).toISOString(),
    ...extra,
  };
}

const data = (n: number): Values => ({ stoploss: -(0.02 + n / 100), timeframe: "1h" });
const ours = (n: number) => formatConfigId(n, contentHash(data(n)));

/**
 * v1 → v2 → v3 (ACTIVE) superseded in turn; v4 a DRAFT whose stored hash is wrong, so its id (made
 * from that hash) is not kept: its content becomes v4 with its own hash.
 */
const registry: LegacyConfigVersion[] = [
  item(REGISTRY, 1, data(1), "DEPRECATED", { superseded_by: ours(2) }),
  item(REGISTRY, 2, data(2), "DEPRECATED", { superseded_by: ours(3) }),
  item(REGISTRY, 3, data(3), "ACTIVE"),
  item(REGISTRY, 4, data(4), "DRAFT", { config_hash: BAD_HASH }),
  item(DRAFTS_ONLY, 1, { stoploss: -0.07, timeframe: "4h" }, "DRAFT"),
];

describe("legacy mirror on the Workers page", () => {
  it("shows a mirror set off: its environment, strategy, status, the row it writes, never mirrored", async () => {
    const set = await api().setLegacyMirror(ENV, { strategy: MIRRORED, enabled: false });
    expect(set).toMatchObject({ environment: ENV, strategy: MIRRORED, enabled: false, status: "off" });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
    await page.getByRole("heading", { name: "Workers", exact: true }).waitFor();
    const card = page.getByRole("region", { name: "Legacy mirror" });
    await card.waitFor();
    await card
      .getByText(
        "The legacy row old workers read at pod start, kept in step with the resolved config (tradai import mirror set)",
      )
      .waitFor();
    for (const header of [
      "Environment",
      "Strategy",
      "Status",
      "Writes to",
      "Mirrored version",
      "Lag",
      "Attempts",
      "Last error",
    ]) {
      await card.getByRole("columnheader", { name: header, exact: true }).waitFor();
    }
    const row = card.locator(`tr[data-environment="${ENV}"][data-strategy="${MIRRORED}"]`);
    const cell = (name: string) => row.locator(`[data-cell="${name}"]`).textContent();
    await expect(cell("environment")).resolves.toBe(ENV);
    await expect(cell("strategy")).resolves.toBe(MIRRORED);
    await expect(cell("status")).resolves.toBe("off");
    await expect(cell("target")).resolves.toBe("ftf_config.base_env");
    await expect(cell("mirrored")).resolves.toBe("never");
    await expect(cell("lag")).resolves.toMatch(/^(up to date|\d+ changes?, \d+ s behind)$/);
    await expect(cell("attempts")).resolves.toBe("0");
    await expect(cell("last-error")).resolves.toBe("—");
    await expectAccessible(page, "the workers page with a legacy mirror");
    await screenshot(page, "workers-legacy-mirror");

    // Filtered to another environment: no mirror there, no card.
    await page.getByLabel("Filter by environment").selectOption("staging");
    await page.getByRole("heading", { name: "Workers in staging" }).waitFor();
    await page.waitForURL("**/workers?environment=staging");
    await expect.poll(() => page.getByRole("region", { name: "Legacy mirror" }).count(), { timeout: 10_000 }).toBe(0);
  });
});

describe("import of the legacy config-versions registry", () => {
  let imported: Awaited<ReturnType<ReturnType<typeof api>["importConfigVersions"]>>;
  const planOf = (strategy: string) => imported.plans.find((p) => p.strategy === strategy);

  beforeAll(async () => {
    imported = await api().importConfigVersions({
      environment: ENV,
      source: "export.json",
      items: registry,
      apply: true,
    });
  });

  it("lists the imports with their kind", async () => {
    expect(imported.outcome).toBe("applied");
    await page.goto("/imports");
    const table = page.getByTestId("imports");
    await table.getByRole("columnheader", { name: "Kind" }).waitFor();
    for (const strategy of [REGISTRY, DRAFTS_ONLY]) {
      const row = table.locator(`tr[data-strategy="${strategy}"]`);
      await expect(row.locator('[data-cell="kind"]').textContent()).resolves.toBe("config-versions");
    }
  });

  it("shows each item's legacy id (kept or not), status and successor, and the registry's inconsistencies", async () => {
    const plan = planOf(REGISTRY);
    expect(plan?.activation).toMatchObject({ action: "activate", config_id: ours(3) });
    const mismatch = plan?.inconsistencies.find((i) => i.kind === "hash_mismatch");
    expect(mismatch?.legacy_id).toBe(formatConfigId(4, BAD_HASH));

    await page.goto(`/imports/${encodeURIComponent(plan?.import_id as string)}`);
    await page.getByRole("heading", { name: `Import into ${REGISTRY} (${ENV})` }).waitFor();
    await expect(page.locator('[data-detail="Kind"] dd').textContent()).resolves.toMatch(/^config-versions: /);
    await expect(page.getByTestId("import-activation").textContent()).resolves.toBe(
      `${ours(3)} becomes active in ${ENV} (nothing was active there)`,
    );

    const steps = page.getByTestId("import-steps");
    for (const header of ["Legacy id", "Status", "Superseded by"]) {
      await steps.getByRole("columnheader", { name: header, exact: true }).waitFor();
    }
    const cell = (row: string, name: string) =>
      steps.locator(`tr[data-row="${row}"] [data-cell="${name}"]`).textContent();
    // Consistent items keep their id: marked kept; each names the version that replaced it.
    await expect(cell("1", "legacy-id")).resolves.toBe(`${ours(1)}kept`);
    await expect(cell("1", "legacy-status")).resolves.toBe("DEPRECATED");
    await expect(cell("1", "superseded-by")).resolves.toBe(ours(2));
    await expect(cell("2", "superseded-by")).resolves.toBe(ours(3));
    await expect(cell("3", "legacy-status")).resolves.toBe("ACTIVE");
    await expect(cell("3", "superseded-by")).resolves.toBe("—");
    // The item with the wrong hash: its legacy id is not the version's.
    await expect(cell("4", "legacy-id")).resolves.toBe(formatConfigId(4, BAD_HASH));
    await expect(cell("4", "version")).resolves.toBe(ours(4));
    await expect(cell("4", "legacy-status")).resolves.toBe("DRAFT");
    await expect(steps.locator('tr[data-row="4"] [data-cell="kept"]').count()).resolves.toBe(0);
    // The ACTIVE item again, as what becomes active.
    await expect(cell("current", "legacy-status")).resolves.toBe("ACTIVE");
    await expect(cell("current", "version")).resolves.toBe(ours(3));

    const found = page.getByRole("region", { name: "Inconsistencies in the legacy registry" });
    await found.getByRole("heading", { name: "Inconsistencies in the legacy registry" }).waitFor();
    const listed = found.locator('li[data-kind="hash_mismatch"]');
    await expect(listed.textContent()).resolves.toBe(`hash_mismatch: ${mismatch?.message}`);
    await expectAccessible(page, "a config-versions import's page");
    await screenshot(page, "import-config-versions");
  });

  it("says nothing becomes active where the registry has no ACTIVE item", async () => {
    const plan = planOf(DRAFTS_ONLY);
    expect(plan?.activation.action).toBe("none");
    await page.goto(`/imports/${encodeURIComponent(plan?.import_id as string)}`);
    await page.getByRole("heading", { name: `Import into ${DRAFTS_ONLY} (${ENV})` }).waitFor();
    await expect(page.getByTestId("import-activation").textContent()).resolves.toBe(`nothing becomes active in ${ENV}`);
    await page.getByTestId("import-inconsistencies").locator('li[data-kind="no_active"]').waitFor();
  });
});
