/**
 * Shadow parameters in a real browser against the real server: the catalog form offers the class,
 * the catalog's shadow evidence counts what workers reported (would-apply events, workers,
 * mid-trade, trade unknown) in the header's environment, keys switched since are marked, the
 * parameter page shows its evidence and switches it to hot through the usual save flow, and a
 * session's timeline names the keys held as shadow.
 */
import { contentHash, type JsonValue, type ShadowObservation } from "@tradai/core";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import {
  type ConsoleSession,
  expectAccessible,
  expectNoHorizontalOverflow,
  PHONE,
  screenshot,
  startConsoleSession,
} from "../../../test-support/browser.js";
import { postJson } from "../../../test-support/platform.js";

const SHADOW = "console_shadow.entry_offset";
const SWITCHED = "console_shadow.exit_offset";
const STRATEGY = "StochRsiStrategy";

let session: ConsoleSession;
let admin: Page;
let workerToken: string;
beforeAll(async () => {
  session = await startConsoleSession();
  admin = await session.signedIn();
  ({ token: workerToken } = await session.platform.api.createToken({
    name: "shadow-fleet",
    roles: ["worker"],
    environments: ["dev", "staging"],
  }));
});
afterAll(async () => {
  await session?.close();
});

/** One would-apply observation; `id` counts per process, `open_trades` null: the worker did not say. */
function observation(id: number, key: string, openTrades: number | null, at: string): ShadowObservation {
  return {
    id,
    strategy: STRATEGY,
    key,
    old: 0.01,
    new: 0.02,
    seq: 0,
    boundary: "candle_close",
    open_trades: openTrades,
    at,
  };
}

/** A worker's heartbeat with shadow observations (and applies), as the worker role; answered 204. */
async function report(workerId: string, environment: string, body: Record<string, unknown>) {
  const answer = await session.platform.http(`/api/v1/workers/${workerId}/heartbeat`, {
    ...postJson(
      JSON.stringify({ environment, applied: [], process: { instance: `${workerId}-1`, mode: "paper" }, ...body }),
    ),
    headers: { authorization: `Bearer ${workerToken}`, "content-type": "application/json" },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(204);
}

const cell = (row: Locator, name: string) => row.locator(`[data-cell="${name}"]`).textContent();

/** Waits until the row's cell reads exactly `text` (a query refetching after a change), then checks it. */
async function expectCell(row: Locator, name: string, text: string) {
  const located = row.locator(`[data-cell="${name}"]`);
  await located.filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).waitFor();
  await expect(located.textContent()).resolves.toBe(text);
}

describe("shadow parameters", () => {
  it("the catalog form offers the shadow class with its hint, and creates a shadow parameter", async () => {
    await admin.goto("/catalog");
    await admin.getByRole("button", { name: "New parameter" }).click();
    const dialog = admin.getByRole("dialog", { name: "New parameter" });
    const reload = dialog.getByLabel("Reload");
    const options = await reload.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(["restart", "between_trades", "hot", "shadow"]);
    await dialog.getByLabel("Name", { exact: true }).fill(SHADOW);
    await dialog.getByLabel("Type", { exact: true }).selectOption("number");
    await dialog.getByLabel("Description").fill("Entry offset, watched before it goes live");
    await reload.selectOption("shadow");
    await dialog.getByText(/^Workers never apply a change: they keep the value in use and report where/).waitFor();
    await dialog.getByLabel("Strategies").fill(STRATEGY);
    await dialog.getByRole("button", { name: "Add parameter" }).click();
    await admin.waitForURL(`**/catalog/parameters/${encodeURIComponent(SHADOW)}`);
    expect((await session.platform.api.getParameter(SHADOW)).parameter.reload).toBe("shadow");
    await admin.getByTestId("shadow-badge").first().waitFor();
    // No evidence yet: the page says so, and that switching to hot is an ordinary catalog change.
    const card = admin.getByTestId("parameter-shadow");
    await card.getByText("No worker has reported a would-apply yet.").waitFor();
    await expect(card.getByTestId("switch-to-hot-note").textContent()).resolves.toMatch(
      /ordinary catalog change.*new catalog revision, recorded in the audit log/,
    );
  });

  it("shows no evidence until a worker reports one", async () => {
    await admin.goto("/catalog?view=shadow");
    const panel = admin.getByRole("tabpanel", { name: "Shadow evidence" });
    await panel.getByTestId("shadow-evidence-empty").waitFor();
    await expect(panel.getByTestId("shadow-evidence-empty").textContent()).resolves.toBe(
      "No worker has reported a would-apply yet",
    );
    await expect(panel.getByTestId("shadow-without-evidence").textContent()).resolves.toBe(
      `Shadow parameters with no evidence yet: ${SHADOW}.`,
    );
  });

  it("counts what workers reported per key in the header's environment, and marks a key switched since", async () => {
    await session.platform.api.createParameter({
      name: SWITCHED,
      type: "number",
      description: "Exit offset",
      reload: "shadow",
      strategies: [STRATEGY],
    });
    const t = (minute: number) => new Date(Date.UTC(2026, 0, 15, 10, minute, 0)).toISOString();
    // dev: 4 observations of SHADOW on 2 workers, 2 with a trade open, 1 not told; 1 of SWITCHED.
    const values: Record<string, JsonValue> = { stoploss: -0.05, [SHADOW]: 0.01 };
    await report("shadow-w1", "dev", {
      shadow: [
        observation(1, SHADOW, 2, t(0)),
        observation(2, SHADOW, 0, t(5)),
        observation(3, SHADOW, 1, t(10)),
        observation(4, SWITCHED, 0, t(11)),
      ],
      applies: [
        {
          strategy: STRATEGY,
          seq: 1,
          config_version_id: null,
          resolved_hash: contentHash(values),
          values,
          applied_at: t(10),
          boundary: "candle_close",
          latency_ms: null,
          held_shadow: [SHADOW],
        },
      ],
    });
    await report("shadow-w2", "dev", { shadow: [observation(1, SHADOW, null, t(30))] });
    // staging: another worker, counted only there.
    await report("shadow-w3", "staging", { shadow: [observation(1, SHADOW, 3, t(40))] });
    await session.platform.api.updateParameter({
      ...(await session.platform.api.getParameter(SWITCHED)).parameter,
      reload: "hot",
    });
    const { items } = await session.platform.api.shadowEvidence({ environment: "dev" });
    expect(items.find((i) => i.key === SHADOW)).toMatchObject({
      events: 4,
      workers: 2,
      mid_trade: 2,
      trade_unknown: 1,
      reload: "shadow",
    });

    await admin.goto("/catalog");
    await admin.getByTestId("environment-switcher").selectOption("dev");
    await admin.getByRole("tab", { name: "Shadow evidence" }).click();
    await admin.waitForURL(/view=shadow/);
    const panel = admin.getByRole("tabpanel", { name: "Shadow evidence" });
    await panel.getByRole("heading", { name: "Shadow evidence in dev" }).waitFor();
    const row = panel.locator(`tr[data-shadow-key="${SHADOW}"]`);
    await row.waitFor();
    await expect(cell(row, "events")).resolves.toBe("4");
    await expect(cell(row, "workers")).resolves.toBe("2");
    await expect(cell(row, "mid-trade")).resolves.toBe("2");
    await expect(cell(row, "trade-unknown")).resolves.toBe("1");
    await expect(cell(row, "reload")).resolves.toBe("shadow");
    await expect(cell(row, "period")).resolves.toMatch(
      /^2026-01-15 10:00:00 UTC → 2026-01-15 10:30:00 UTC\s*last (\d+ (s|min|h|d) ago|just now)$/,
    );
    const switched = panel.locator(`tr[data-shadow-key="${SWITCHED}"]`);
    await expect(cell(switched, "reload")).resolves.toBe("switched to hot");
    await expect(cell(switched, "events")).resolves.toBe("1");
    await expect(cell(switched, "mid-trade")).resolves.toBe("0");
    await expect(panel.getByTestId("shadow-without-evidence").textContent()).resolves.toBe(
      "Every shadow parameter has evidence.",
    );
    // The period: nothing was observed in the last 24 hours.
    await panel.getByLabel("Period").selectOption("day");
    await panel.getByTestId("shadow-evidence-empty").waitFor();
    await expect(row.count()).resolves.toBe(0);
    await panel.getByLabel("Period").selectOption("all");
    await row.waitFor();
    await expectAccessible(admin, "the catalog's shadow evidence");
    await screenshot(admin, "catalog-shadow");

    // The header's environment chooses what is counted: staging has one observation, one worker.
    await admin.getByTestId("environment-switcher").selectOption("staging");
    await panel.getByRole("heading", { name: "Shadow evidence in staging" }).waitFor();
    await expectCell(row, "events", "1");
    await expect(cell(row, "workers")).resolves.toBe("1");
    await expect(cell(row, "mid-trade")).resolves.toBe("1");
    await expect(cell(row, "trade-unknown")).resolves.toBe("0");
    await expect(panel.locator(`tr[data-shadow-key="${SWITCHED}"]`).count()).resolves.toBe(0);
    await admin.getByTestId("environment-switcher").selectOption("dev");
    await expectCell(row, "events", "4");
  });

  it("the session timeline names the keys held as shadow", async () => {
    await admin.goto("/workers/shadow-w1");
    const held = admin.getByTestId("session-timeline").locator('[data-cell="shadow-held"]');
    await held.waitFor();
    await expect(held.textContent()).resolves.toBe(SHADOW);
  });

  it("the parameter page shows its evidence, and switches it to hot through the usual save flow", async () => {
    await admin.goto(`/catalog/parameters/${encodeURIComponent(SHADOW)}`);
    const card = admin.getByTestId("parameter-shadow");
    const row = card.locator(`tr[data-shadow-key="${SHADOW}"]`);
    await row.waitFor();
    await expect(cell(row, "events")).resolves.toBe("4");
    await expect(cell(row, "workers")).resolves.toBe("2");
    await expect(cell(row, "mid-trade")).resolves.toBe("2");
    await expect(card.locator("tr[data-shadow-key]").count()).resolves.toBe(1);
    await expectAccessible(admin, "a shadow parameter's page");

    const before = (await session.platform.api.listCatalog()).revision;
    await card.getByRole("button", { name: "Switch to hot…" }).click();
    const form = admin.getByRole("form", { name: "Edit parameter" });
    await expect(form.getByLabel("Reload").inputValue()).resolves.toBe("hot");
    await form.getByRole("button", { name: "Save definition" }).click();
    const savedAs = admin.getByRole("status").filter({ hasText: /Saved as catalog revision \d+\./ });
    await savedAs.waitFor();
    const { revision } = await session.platform.api.listCatalog();
    expect(revision).toBe(before + 1);
    await expect(savedAs.textContent()).resolves.toBe(`Saved as catalog revision ${revision}.`);
    expect((await session.platform.api.getParameter(SHADOW)).parameter.reload).toBe("hot");
    const audit = await session.platform.api.listAudit({ action: "catalog.change", target_id: String(revision) });
    expect(audit.items).toHaveLength(1);
    // The evidence stays, marked as gathered before the switch; no switch button any more.
    await expectCell(row, "reload", "switched to hot");
    await card.getByText(/^Gathered while this parameter was shadow/).waitFor();
    await expect(card.getByRole("button", { name: "Switch to hot…" }).count()).resolves.toBe(0);
  });

  it("works on a phone", async () => {
    const phone = await session.signedIn("admin", TEST_ADMIN_PASSWORD, PHONE);
    await phone.goto("/catalog?view=shadow");
    await phone.locator(`tr[data-shadow-key="${SHADOW}"]`).waitFor();
    await expectNoHorizontalOverflow(phone, "the catalog's shadow evidence");
    await screenshot(phone, "catalog-shadow-phone");
    await phone.close();
  });
});
