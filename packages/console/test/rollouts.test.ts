/** A staged rollout's page, in a real browser against the real server: its steps, live guard figures, the workers it assigns, pause, resume and abort. */
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleSession, expectAccessible, startConsoleSession } from "../../../test-support/browser.js";
import { eventually } from "../../../test-support/platform.js";

const STRATEGY = "RolloutDemo";

let session: ConsoleSession;
const subscribers: ConfigSubscriber[] = [];
// The workers pass a boundary every 200 ms: they apply what they received.
const boundaries = setInterval(() => {
  for (const s of subscribers) s.boundary();
}, 200);
beforeAll(async () => {
  session = await startConsoleSession({ TRADAI_ROLLOUT_TICK_SECONDS: "300" });
});
afterAll(async () => {
  clearInterval(boundaries);
  for (const s of subscribers) await s.stop();
  await session?.close();
});

describe("staged rollout page", () => {
  it("shows the steps, the guards as they read, the assigned workers with their figures; pauses, resumes and aborts", async () => {
    const api = session.platform.api;
    const v1 = (await api.createConfig({ strategy_name: STRATEGY, config_data: { level: 1 } })).config_id;
    await api.activate(STRATEGY, v1);
    const v2 = (await api.createConfig({ strategy_name: STRATEGY, config_data: { level: 2 } })).config_id;
    const { token } = await api.createToken({ name: "rollout-page-workers", roles: ["worker"] });
    for (const [id, canary, errors] of [
      ["page-canary", true, 3],
      ["page-other", false, 1],
    ] as const) {
      const worker = createConfigSubscriber({
        url: session.platform.url,
        credentials: { token },
        environment: "dev",
        strategies: [STRATEGY],
        workerId: id,
        mode: "paper",
        labels: canary ? { canary: "true" } : {},
        health: () => ({ errors }),
        heartbeatMs: 300,
        lastKnownGood: null,
        warn: () => {},
      });
      subscribers.push(worker);
      await worker.start();
    }
    await eventually(
      async () => ((await api.listWorkers({ environment: "dev" })).items.length >= 2 ? true : undefined),
      "both workers reporting",
    );
    const started = await api.startRollout({
      strategy: STRATEGY,
      environment: "dev",
      config_id: v2,
      steps: [
        { selector: "canary=true", bake_seconds: 3600 },
        { share: 1, bake_seconds: 0 },
      ],
      guards: [{ kind: "figure_above", figure: "errors", above: 5, for_seconds: 0 }],
    });
    if (!("id" in started)) throw new Error("dev needs no approval");

    const page = await session.signedIn();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rollouts" }).click();
    await page.getByTestId("rollouts-table").locator(`tr[data-rollout="${started.id}"]`).getByRole("link").click();
    await page.getByRole("heading", { name: `Rollout of ${STRATEGY} in dev` }).waitFor();

    // Step 1 is in force; the guard reads the canary's latest report; the canary is assigned and runs v2.
    await expect(page.locator('[data-step="1"][data-now]').textContent()).resolves.toContain(
      "the workers with canary=true, 60 min",
    );
    await page.locator('[data-guard="1"]').filter({ hasText: "errors: no canary above 5" }).waitFor();
    const canary = page.getByTestId("rollout-workers").locator('tr[data-worker="page-canary"]');
    await canary.locator('[data-cell="assigned"]').filter({ hasText: "assigned" }).waitFor();
    await canary.locator('[data-cell="health"]').filter({ hasText: "errors 3" }).waitFor();
    await canary.filter({ hasText: v2 }).waitFor({ timeout: 15_000 });
    const other = page.getByTestId("rollout-workers").locator('tr[data-worker="page-other"]');
    await other.locator('[data-cell="assigned"]').filter({ hasText: "not yet" }).waitFor();
    await other.filter({ hasText: v1 }).waitFor();
    await expectAccessible(page, "the rollout page");

    await page.getByRole("button", { name: "Pause" }).click();
    await page.locator('[data-cell="state"]').filter({ hasText: "paused" }).first().waitFor();
    await expect(api.getRollout(started.id)).resolves.toMatchObject({ state: "paused" });
    await page.getByRole("button", { name: "Resume" }).click();
    await page.locator('[data-cell="state"]').filter({ hasText: "running" }).first().waitFor();

    await page.getByRole("button", { name: "Abort rollout" }).click();
    await page.getByLabel("Why (kept in the audit trail)").fill("canary looks wrong");
    await page.getByRole("button", { name: "Abort", exact: true }).click();
    await page.getByTestId("end-reason").filter({ hasText: "canary looks wrong" }).waitFor();
    await expect(api.getRollout(started.id)).resolves.toMatchObject({
      state: "aborted",
      end_reason: "canary looks wrong",
    });
    // The canary runs the active version again.
    await canary.filter({ hasText: v1 }).waitFor({ timeout: 15_000 });
  });

  it("lists pending scheduled changes on the Rollouts page and an admin's environment card, and cancels one with a reason", async () => {
    const api = session.platform.api;
    const v3 = (await api.createConfig({ strategy_name: STRATEGY, config_data: { level: 3 } })).config_id;
    const scheduled = await api.scheduleChange({
      kind: "activation",
      strategy: STRATEGY,
      environment: "dev",
      config_id: v3,
      at: "2031-06-01T08:30",
      time_zone: "Europe/London",
    });
    const page = await session.signedIn();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rollouts" }).click();
    const row = page.getByTestId("schedules-all").locator(`tr[data-schedule="${scheduled.id}"]`);
    await row
      .filter({ hasText: "2031-06-01T08:30:00+01:00" })
      .filter({ hasText: "2031-06-01T07:30:00.000Z UTC" })
      .waitFor();
    await expect(row.textContent()).resolves.toContain(`activate ${v3} of ${STRATEGY} in dev`);

    await page.goto(`${session.platform.url}/admin?tab=environments`);
    const onCard = page.getByTestId("schedules-dev").locator(`tr[data-schedule="${scheduled.id}"]`);
    await onCard.getByRole("button", { name: "Cancel" }).click();
    await page.getByLabel("Why (kept in the audit trail)").fill("moved to next week");
    await page.getByRole("button", { name: "Cancel it" }).click();
    await onCard.waitFor({ state: "detached" });
    await expect(api.listScheduledChanges({ state: "cancelled" })).resolves.toMatchObject({
      items: [{ id: scheduled.id, outcome: "cancelled by admin: moved to next week" }],
    });
  });
});
