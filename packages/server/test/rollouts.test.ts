/**
 * Staged rollouts with real subscribers (issue 19): eight workers of the TypeScript library, half on
 * each of two replicas, two of them labelled canary=true. Each step reaches exactly the workers it
 * assigns; a tripped guard rolls the canaries back and no other worker ever applies the version; a
 * clean rollout ends with every worker on it; a restart mid-bake loses nothing, and two replicas
 * that both look move each step once. The driver's timer is slow here: the tests call tick().
 */
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { isAssigned, type RolloutStatus, type RolloutView } from "@tradai/core";
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { eventually, postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { startWebhookSink, type WebhookSink } from "../../../test-support/webhook-sink.js";

const STRATEGY = "Canary";
const WORKERS = 8;
const CANARIES = new Set(["rw-0", "rw-1"]);
const HOUR_LATER = () => new Date(Date.now() + 3_601_000);

describe(`staged rollouts with real subscribers (${backend})`, () => {
  let p: TestPlatform;
  let b: Platform;
  let sink: WebhookSink;
  const settings = (url: string) => ({
    TRADAI_ROLLOUT_TICK_SECONDS: "300",
    TRADAI_WORKER_STALE_SECONDS: "60",
    TRADAI_ALERT_WEBHOOK_URL: url,
  });
  const replicaB = (port = "0") =>
    startPlatform(
      loadSettings({ TRADAI_PORT: port, TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none", ...settings(sink.url) }),
      p.db,
    );
  const workers = new Map<string, ConfigSubscriber>();
  /** Per worker, every version it applied, in order, with the step in force then (`stage`). */
  const applied = new Map<string, string[]>();
  const appliedAt = new Map<string, { version: string; stage: number }[]>();
  let stage = 0;
  /** The health figures each worker reports. */
  const errors = new Map<string, number>();
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: STRATEGY, config_data: data })).config_id;
  const start = async (body: Record<string, unknown>): Promise<RolloutView> => {
    const res = await p.http(
      "/api/v1/rollouts",
      postJson(JSON.stringify({ strategy: STRATEGY, environment: "dev", ...body })),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const status = async (id: string): Promise<RolloutStatus> => (await p.http(`/api/v1/rollouts/${id}`)).body;
  /** What each worker runs once it passed a boundary. */
  const running = () =>
    Object.fromEntries(
      [...workers].map(([id, w]) => {
        w.boundary();
        return [id, w.current(STRATEGY).config_version_id];
      }),
    );
  /** Waits until the assigned workers run `next` and the others `previous`. */
  const onlyAssignedRun = async (assigned: Set<string>, next: string, previous: string) => {
    const expected = Object.fromEntries([...workers.keys()].map((id) => [id, assigned.has(id) ? next : previous]));
    await eventually(
      async () => (JSON.stringify(running()) === JSON.stringify(expected) ? true : undefined),
      `only ${[...assigned].sort().join(", ") || "no worker"} on ${next}; now ${JSON.stringify(running())}`,
    );
  };
  const assignedBy = (rollout: RolloutView) =>
    new Set(
      [...workers.keys()].filter((id) =>
        isAssigned(rollout.id, rollout.assignment, {
          worker_id: id,
          labels: CANARIES.has(id) ? { canary: "true" } : {},
        }),
      ),
    );
  const auditCount = async (action: string, id: string) =>
    (await p.api.listAudit({ action, target_id: id })).items.length;
  /** Both replicas look at once, an hour later: each due step moves once. */
  const bothTick = (now = HOUR_LATER()) => Promise.all([p.rolloutDriver.tick(now), b.rolloutDriver.tick(now)]);

  beforeAll(async () => {
    sink = await startWebhookSink();
    p = await startTestPlatform(settings(sink.url));
    b = await replicaB();
    // Applied at the next boundary (an uncatalogued key waits for a restart).
    await p.api.createParameter({ name: "threshold", type: "number", description: "Entry", reload: "hot" });
    await p.api.activate(STRATEGY, await version({ threshold: 1 }));
    const { token } = await p.api.createToken({ name: "rollout-workers", roles: ["worker"] });
    for (let i = 0; i < WORKERS; i++) {
      const id = `rw-${i}`;
      applied.set(id, []);
      appliedAt.set(id, []);
      errors.set(id, 0);
      const worker = createConfigSubscriber({
        url: i % 2 === 0 ? p.url : b.url,
        credentials: { token },
        environment: "dev",
        strategies: [STRATEGY],
        workerId: id,
        mode: "paper",
        labels: CANARIES.has(id) ? { canary: "true", exchange: "binance" } : { exchange: "binance" },
        health: () => ({ errors: errors.get(id) ?? 0 }),
        heartbeatMs: 300,
        backoffMs: { initial: 100, max: 500 },
        lastKnownGood: null,
        warn: () => {},
      });
      worker.onApplied((a) => {
        if (a.strategy !== STRATEGY || !a.config_version_id) return;
        applied.get(id)?.push(a.config_version_id);
        appliedAt.get(id)?.push({ version: a.config_version_id, stage });
      });
      workers.set(id, worker);
    }
    await Promise.all([...workers.values()].map((w) => w.start()));
    // Known to the server (a share step ranks the workers that report the strategy).
    await eventually(
      async () => ((await p.api.listWorkers({ environment: "dev" })).items.length === WORKERS ? true : undefined),
      "every worker reporting",
    );
  });
  afterAll(async () => {
    for (const w of workers.values()) await w.stop().catch(() => {});
    await b?.close();
    await p?.close();
    await sink?.close();
  });

  it("a three-step rollout reaches exactly the workers each step assigns, and ends with all of them on it", async () => {
    const from = running()["rw-0"] as string;
    const next = await version({ threshold: 2 });
    const rollout = await start({
      config_id: next,
      steps: [
        { selector: "canary=true", bake_seconds: 3600 },
        { share: 0.5, bake_seconds: 3600 },
        { share: 1, bake_seconds: 3600 },
      ],
    });
    expect(rollout).toMatchObject({ state: "running", step: 0, from_config_id: from, config_id: next });

    // Step 1: the canaries, by their labels.
    expect(assignedBy(rollout)).toEqual(CANARIES);
    await onlyAssignedRun(CANARIES, next, from);
    // The lag view knows which version each worker should run: all are up to date.
    let view = (await p.api.listWorkers({ environment: "dev" })).items;
    await eventually(async () => {
      view = (await p.api.listWorkers({ environment: "dev" })).items;
      return view.every((w) => w.strategies.every((s) => s.up_to_date)) ? view : undefined;
    }, "every worker up to date in the view").catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(view.map((w) => [w.worker_id, w.strategies]))}`);
    });
    const shown = await status(rollout.id);
    expect(
      shown.workers
        .filter((w) => w.assigned)
        .map((w) => w.worker_id)
        .sort(),
    ).toEqual([...CANARIES].sort());
    expect(
      shown.workers
        .filter((w) => w.on_rollout)
        .map((w) => w.worker_id)
        .sort(),
    ).toEqual([...CANARIES].sort());

    // Step 2: half the workers (hashed from worker and rollout), the canaries kept.
    stage = 1;
    await bothTick();
    const second = await status(rollout.id);
    expect(second.step).toBe(1);
    expect(await auditCount("rollout.step", rollout.id)).toBe(1);
    const half = assignedBy(second);
    for (const canary of CANARIES) expect(half.has(canary)).toBe(true);
    const byShare = [...workers.keys()].filter((id) =>
      isAssigned(second.id, { threshold: second.assignment.threshold, selectors: [] }, { worker_id: id, labels: {} }),
    );
    expect(byShare).toHaveLength(WORKERS / 2);
    await onlyAssignedRun(half, next, from);

    // Step 3: every worker. Then the rollout completes: the version is active for all.
    stage = 2;
    await bothTick();
    expect((await status(rollout.id)).step).toBe(2);
    await onlyAssignedRun(new Set(workers.keys()), next, from);
    await bothTick();
    const done = await status(rollout.id);
    expect(done).toMatchObject({ state: "completed", ended_at: expect.any(String) });
    expect(await auditCount("rollout.step", rollout.id)).toBe(2);
    expect(await auditCount("rollout.complete", rollout.id)).toBe(1);
    expect((await p.api.listStrategies()).items.find((s) => s.strategy_name === STRATEGY)?.active.dev).toBe(next);
    expect(sink.received.filter((a) => (a as { kind: string }).kind === "rollout_completed")).toHaveLength(1);

    // Nobody applied the version before the step that assigned it.
    for (const [id, history] of appliedAt) {
      const first = history.find((h) => h.version === next)?.stage;
      expect(first, id).toBe(CANARIES.has(id) ? 0 : half.has(id) ? 1 : 2);
    }
    stage = 0;
  });

  it("a tripped guard rolls every canary back at once; no other worker ever applies the version", async () => {
    const from = running()["rw-0"] as string;
    const next = await version({ threshold: 3 });
    const rollout = await start({
      config_id: next,
      steps: [
        { selector: "canary=true", bake_seconds: 3600 },
        { share: 1, bake_seconds: 0 },
      ],
      guards: [{ kind: "figure_above", figure: "errors", above: 5, for_seconds: 0 }],
    });
    await onlyAssignedRun(CANARIES, next, from);
    // Healthy: the driver looks, nothing trips, the step bakes on.
    await Promise.all([p.rolloutDriver.tick(), b.rolloutDriver.tick()]);
    expect((await status(rollout.id)).state).toBe("running");

    for (const canary of CANARIES) errors.set(canary, 12);
    await eventually(async () => {
      const s = await status(rollout.id);
      return s.guard_readings[0]?.holds ? s : undefined;
    }, "the canaries' errors reported");
    await Promise.all([p.rolloutDriver.tick(), b.rolloutDriver.tick()]);
    const ended = await status(rollout.id);
    expect(ended.state).toBe("rolled_back");
    expect(ended.end_reason).toContain("errors above 5");
    await onlyAssignedRun(new Set(), next, from);

    // The audit trail says which guard fired, on which figures; on-call heard it once.
    const entries = (await p.api.listAudit({ action: "rollout.rollback", target_id: rollout.id })).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actor).toBe("rollout-driver");
    expect(entries[0]?.details).toMatchObject({
      guard: { index: 0, rule: { kind: "figure_above", figure: "errors" }, figures: { highest: 12 } },
    });
    const alerts = sink.received.filter((a) => (a as { kind: string }).kind === "rollout_rolled_back");
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain("errors above 5");
    const trips = async (platform: Platform) =>
      (await platform.metrics.registry.getSingleMetricAsString("tradai_rollout_guard_trips_total"))
        .split("\n")
        .filter((line) => line.startsWith("tradai_rollout_guard_trips_total{"))
        .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
    expect((await trips(p)) + (await trips(b))).toBe(1);

    for (const [id, versions] of applied) {
      if (CANARIES.has(id)) expect(versions, id).toContain(next);
      else expect(versions, id).not.toContain(next);
    }
    for (const canary of CANARIES) errors.set(canary, 0);
  });

  it("survives a restart mid-bake, and two replicas move each step once", async () => {
    const from = running()["rw-0"] as string;
    const next = await version({ threshold: 4 });
    const rollout = await start({
      config_id: next,
      steps: [
        { selector: "canary=true", bake_seconds: 2 },
        { share: 1, bake_seconds: 2 },
      ],
    });
    await onlyAssignedRun(CANARIES, next, from);
    // Replica B goes away mid-bake and comes back on its address (a pod restarted).
    const port = new URL(b.url).port;
    await b.close();
    b = await replicaB(port);
    await onlyAssignedRun(CANARIES, next, from);
    await eventually(
      async () => {
        await Promise.all([p.rolloutDriver.tick(new Date()), b.rolloutDriver.tick(new Date())]);
        return (await status(rollout.id)).state === "completed" ? true : undefined;
      },
      "the rollout completed",
      20_000,
    );
    await onlyAssignedRun(new Set(workers.keys()), next, from);
    expect(await auditCount("rollout.step", rollout.id)).toBe(1);
    expect(await auditCount("rollout.complete", rollout.id)).toBe(1);
  });

  it("is one governed change: refused in a freeze, a change request where approval is needed, then driven without asking again", async () => {
    const next = await version({ threshold: 5 });
    const window = await p.api.addFreezeWindow("dev", {
      reason: "rollout freeze",
      starts_at: new Date(Date.now() - 60_000).toISOString(),
      ends_at: new Date(Date.now() + 600_000).toISOString(),
    });
    const body = { strategy: STRATEGY, environment: "dev", config_id: next, steps: [{ share: 1, bake_seconds: 0 }] };
    const frozen = await p.http("/api/v1/rollouts", postJson(JSON.stringify(body)));
    expect(frozen.status).toBe(423);
    expect(
      (await p.http(`/api/v1/rollouts?strategy=${STRATEGY}&environment=dev`)).body.rollouts.every(
        (r: RolloutView) => r.state !== "running",
      ),
    ).toBe(true);
    await p.api.removeFreezeWindow("dev", window.id);

    // prod asks for approval: the rollout waits as a change request, and starts once approved.
    await p.activateApproved(STRATEGY, await version({ threshold: 6 }), "prod");
    const proposed = await p.http(
      "/api/v1/rollouts",
      postJson(
        JSON.stringify({
          ...body,
          environment: "prod",
          steps: [
            { share: 0.5, bake_seconds: 0 },
            { share: 1, bake_seconds: 0 },
          ],
        }),
      ),
    );
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    expect(proposed.body.change_request.kind).toBe("rollout");
    const approver = await p.user("rollout-approver", "approver");
    await p.as(approver).approveChangeRequest(proposed.body.change_request.id);
    const started = (await p.http(`/api/v1/rollouts?strategy=${STRATEGY}&environment=prod`)).body.rollouts[0];
    expect(started).toMatchObject({ state: "running", change_request_id: proposed.body.change_request.id });
    // Its steps carry out what was approved: no new change request.
    await p.rolloutDriver.tick(new Date(Date.now() + 5_000));
    await p.rolloutDriver.tick(new Date(Date.now() + 10_000));
    expect((await status(started.id)).state).toBe("completed");
    expect((await p.api.listChangeRequests({ status: "pending" })).items).toEqual([]);
  });
});
