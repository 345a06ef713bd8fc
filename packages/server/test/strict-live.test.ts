/**
 * Strict live mode (issue 26, item 7): the server tells what the catalog warns of in each resolved
 * config (a deprecated key or value, an uncatalogued key); a live worker on the TypeScript library
 * refuses such a config, keeps the one it runs and reports `refused`: the workers view shows it and
 * on-call is alerted. A paper worker applies it and warns. A live worker does not start on one.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { eventually, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { startWebhookSink, type WebhookSink } from "../../../test-support/webhook-sink.js";

const S = "Strict";

describe(`strict live mode (${backend})`, () => {
  let p: TestPlatform;
  let sink: WebhookSink;
  let token: string;
  const subscribers: ConfigSubscriber[] = [];
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: S, config_data: data })).config_id;
  const subscribe = (
    workerId: string,
    mode: "live" | "paper",
    told: string[],
    events: string[] = [],
    lastKnownGood: string | null = null,
  ) => {
    const s = createConfigSubscriber({
      url: p.url,
      credentials: { token },
      environment: "dev",
      strategies: [S],
      workerId,
      mode,
      heartbeatMs: 200,
      startTimeoutMs: 5000,
      lastKnownGood,
      warn: (line) => told.push(line),
      onEvent: (name) => events.push(name),
    });
    subscribers.push(s);
    return s;
  };
  const view = async (worker: string) =>
    (await p.api.listWorkers({ environment: "dev" })).items.find((w) => w.worker_id === worker);

  beforeAll(async () => {
    sink = await startWebhookSink();
    p = await startTestPlatform({ TRADAI_WORKER_CHECK_SECONDS: "3600", TRADAI_ALERT_WEBHOOK_URL: sink.url });
    ({ token } = await p.api.createToken({ name: "strict-fleet", roles: ["worker"], environments: ["dev"] }));
    await p.api.createParameter({
      name: "order_type",
      type: "enum",
      allowed: ["market", "limit", "stop"],
      description: "Entry order type",
      reload: "hot",
      strategies: [S],
    });
    await p.api.createParameter({
      name: "stoploss",
      type: "number",
      description: "Stop",
      reload: "hot",
      strategies: [S],
    });
    // Open: keys the catalog does not describe are let through (and warned of).
    await p.approved(p.api.setCatalogPolicy(S, "open"));
    await p.api.activate(S, await version({ order_type: "stop", stoploss: -0.05 }));
  });
  /** The catalog deprecates "stop" while the active version uses it (forced): values do not change. */
  const deprecateStop = async () => {
    const { parameter } = await p.api.getParameter("order_type");
    await p.approved(
      p.api.updateParameter(
        { ...parameter, deprecated_values: { stop: { replacement: "limit", reason: "incident #673" } } } as never,
        { forceReason: "stop orders slip in fast markets" },
      ),
    );
  };
  afterAll(async () => {
    for (const s of subscribers) await s.stop();
    await p?.close();
    await sink?.close();
  });

  it("resolution names the catalog's warnings: none for a clean config, a deprecated value and an uncatalogued key otherwise", async () => {
    expect((await p.api.resolve(S)).warnings).toEqual([]);
  });

  it("a live worker refuses a config with a deprecated value and keeps its own; the view shows it refused and on-call is alerted; a paper worker applies it and warns", async () => {
    const [liveTold, paperTold, liveEvents] = [[] as string[], [] as string[], [] as string[]];
    const copy = join(mkdtempSync(join(tmpdir(), "tradai-strict-")), "live.json");
    const live = subscribe("live-strict", "live", liveTold, liveEvents, copy);
    const paper = subscribe("paper-strict", "paper", paperTold);
    await Promise.all([live.start(), paper.start()]);
    await deprecateStop();
    // Deprecating a value in use changes no value, but the catalog's warning: an event tells the workers.
    await eventually(async () => {
      live.boundary("candle_close");
      return live.refused()[S] ? true : undefined;
    }, "the live worker refusing the config now warned of");
    expect(live.refused()).toEqual({
      [S]: expect.stringMatching(/^catalog warnings: order_type = "stop" is deprecated/),
    });
    // A change that reaches the workers: the environment's base adds a key the catalog does not describe.
    await p.approved(p.api.putEnvironmentBase("dev", { leverage: 2 }));
    expect((await p.api.resolve(S)).warnings).toEqual([
      expect.objectContaining({ key: "leverage", kind: "uncatalogued" }),
      expect.objectContaining({
        key: "order_type",
        kind: "deprecated_value",
        message: expect.stringContaining("incident #673"),
      }),
    ]);
    await eventually(async () => {
      expect(live.boundary("candle_close")).toEqual([]); // nothing of a refused config applies
      return /leverage/.test(live.refused()[S] ?? "") ? true : undefined;
    }, "the live worker refusing the base change too");
    expect(live.current(S).values).toEqual({ order_type: "stop", stoploss: -0.05 });
    expect(live.hasPending).toBe(false);
    expect(live.refused()).toEqual({
      [S]: expect.stringMatching(/leverage is not in the catalog; order_type = "stop" is deprecated/),
    });
    // Told once per refused config: the two changes, each once however many boundaries pass.
    live.boundary("candle_close");
    expect(liveTold).toEqual([
      expect.stringContaining(`refused the config of ${S}`),
      expect.stringContaining(`refused the config of ${S}`),
    ]);
    expect(liveEvents.filter((e) => e === "config_refused")).toHaveLength(2);
    // The last-known-good copy keeps what the live worker runs, not what it refused.
    const saved = () => JSON.parse(readFileSync(copy, "utf8")).configs[0].resolved_hash as string;
    await new Promise((r) => setTimeout(r, 300));
    expect(saved()).toBe(live.current(S).resolved_hash);

    // Applied (a key no parameter describes is restart-only: it waits for a restart, as ever).
    const applied = await eventually(
      async () => paper.boundary("candle_close").find((c) => c.pending_restart.includes("leverage")),
      "the paper worker applying the base change",
    );
    expect(applied).toMatchObject({ values: { order_type: "stop", stoploss: -0.05 }, pending_restart: ["leverage"] });
    expect(paperTold).toContainEqual(
      expect.stringMatching(/applying the config of Strict although the catalog warnings: leverage/),
    );

    const refusedView = await eventually(async () => {
      const w = await view("live-strict");
      return w?.status === "refused" ? w : undefined;
    }, "the heartbeat with the refusal");
    expect(refusedView.refused).toEqual([
      expect.objectContaining({ strategy: S, reason: expect.stringContaining("incident #673") }),
    ]);
    expect((await view("paper-strict"))?.status).not.toBe("refused");
    await p.workerMonitor.check();
    const alerts = (sink.received as { kind: string; worker_id: string; text: string }[]).filter(
      (a) => a.worker_id === "live-strict",
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: "worker_refused",
        text: expect.stringMatching(/worker live-strict \(dev\) refuses its config and runs an older one: Strict/),
      }),
    ]);
    const metrics = (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
    expect(metrics).toMatch(/^tradai_workers\{environment="dev",status="refused"\} 1$/m);

    // The catalog is fixed (the value no longer deprecated, the key catalogued): the same values, no
    // warning, an event tells the workers, and the live worker applies what it refused.
    const { parameter } = await p.api.getParameter("order_type");
    await p.approved(p.api.updateParameter({ ...parameter, deprecated_values: {} } as never));
    await p.api.createParameter({
      name: "leverage",
      type: "number",
      description: "Leverage",
      reload: "hot",
      strategies: [S],
    });
    expect((await p.api.resolve(S)).warnings).toEqual([]);
    await eventually(async () => {
      live.boundary("candle_close");
      return Object.keys(live.refused()).length === 0 ? true : undefined;
    }, "the config without warnings");
    // Applied as far as its classes allow: the new key's class came with no event, so it waits for a restart.
    expect(live.current(S)).toMatchObject({
      values: { order_type: "stop", stoploss: -0.05 },
      pending_restart: ["leverage"],
    });
    await eventually(async () => ((await view("live-strict"))?.status === "ok" ? true : undefined), "ok again");
  });

  it("a live worker does not start on a config the catalog warns of; a paper worker does", async () => {
    await p.approved(p.api.putEnvironmentBase("dev", { margin_mode: "cross" }));
    await expect(subscribe("live-strict-2", "live", []).start()).rejects.toThrow(
      /a live worker starts only on a config the catalog does not warn of: Strict: margin_mode is not in the catalog/,
    );
    const paper = subscribe("paper-strict-2", "paper", []);
    await paper.start();
    expect(paper.current(S).values.margin_mode).toBe("cross"); // started on it
    await p.approved(p.api.putEnvironmentBase("dev", {}));
  });
});
