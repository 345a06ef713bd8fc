/**
 * Paper and live sessions are runs (issue 24, item 2): a worker on the TypeScript library opens a
 * session per strategy; every configuration it applies appends a row to the session's applied
 * history, bound to a parameter set the server made from the values it applied. The database
 * refuses a history row without a parameter set, and any UPDATE or DELETE of one. "What did the
 * worker run at 14:03" is one request.
 */
import { type AppliedConfig, type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { contentHash, type JsonValue, type SessionDetail, type SessionList } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { eventually, postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const STRATEGY = "Sess";

describe(`paper and live sessions (${backend})`, () => {
  let p: TestPlatform;
  let token: string;
  const subscribers: ConfigSubscriber[] = [];
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: STRATEGY, config_data: data })).config_id;
  const subscribe = (workerId: string, extra: Partial<Parameters<typeof createConfigSubscriber>[0]> = {}) => {
    const s = createConfigSubscriber({
      url: p.url,
      credentials: { token },
      environment: "dev",
      strategies: [STRATEGY],
      workerId,
      mode: "paper",
      heartbeatMs: 200,
      lastKnownGood: null,
      codeVersion: "paper-bot@1.4.2",
      labels: { desk: "eu" },
      warn: () => {},
      ...extra,
    });
    subscribers.push(s);
    return s;
  };
  const session = async (id: string) => (await p.http(`/api/v1/sessions/${id}`)).body as SessionDetail;

  beforeAll(async () => {
    p = await startTestPlatform();
    ({ token } = await p.api.createToken({ name: "paper-fleet", roles: ["worker"], environments: ["dev"] }));
    await p.api.createParameter({
      name: "stoploss",
      type: "number",
      min: -0.5,
      max: -0.001,
      description: "Stop",
      reload: "hot",
      strategies: [STRATEGY],
    });
    await p.api.createParameter({
      name: "exchange",
      type: "string",
      description: "Venue",
      reload: "restart",
      strategies: [STRATEGY],
    });
    await p.api.activate(STRATEGY, await version({ stoploss: -0.05, exchange: "binance" }));
  });
  afterAll(async () => {
    for (const s of subscribers) await s.stop();
    await p?.close();
  });

  it("a paper worker applying 3 changes has them in its session's history, each bound to the set of what it applied", async () => {
    const worker = subscribe("paper-1");
    await worker.start();
    const id = worker.sessionId(STRATEGY);
    expect(id, "the library opens its session at start").toMatch(/^[0-9a-f-]{36}$/);
    const applied: AppliedConfig[] = [worker.current(STRATEGY)];
    for (const stoploss of [-0.04, -0.03, -0.02]) {
      const v = await version({ stoploss, exchange: "binance" });
      await p.api.activate(STRATEGY, v);
      await eventually(async () => (worker.hasPending ? true : undefined), `the change to ${v}`);
      const [changed] = worker.boundary("candle_close");
      expect(changed?.config_version_id).toBe(v);
      applied.push(changed as AppliedConfig);
    }
    const detail = await eventually(async () => {
      const s = await session(id as string);
      return s.history.length === 4 ? s : undefined;
    }, "4 history rows");
    expect(detail).toMatchObject({
      kind: "paper",
      mode: "paper",
      worker_id: "paper-1",
      environment: "dev",
      strategy: STRATEGY,
      labels: { desk: "eu" },
      code_version: "paper-bot@1.4.2",
      status: "open",
      reported_by: "token:paper-fleet",
      applies: 4,
    });
    expect(detail.history.map((h) => [h.seq, h.config_version_id, h.resolved_hash, h.boundary])).toEqual(
      applied.map((a, i) => [i + 1, a.config_version_id, a.resolved_hash, i === 0 ? "start" : "candle_close"]),
    );
    for (const [i, h] of detail.history.entries()) {
      const { parameter_set: set, hash } = await p.api.getParameterSet(h.parameter_set_hash);
      // The set is of what the worker ran: its values hash to the resolved hash it reported...
      expect(contentHash(set.values as JsonValue)).toBe(applied[i]?.resolved_hash);
      // ...it says where each value came from, what the catalog said of it, and which code ran it.
      expect(set).toMatchObject({
        config_version_id: applied[i]?.config_version_id,
        provenance: { stoploss: "config_version", exchange: "config_version" },
        catalog: { stoploss: { type: "number", reload: "hot" }, exchange: { type: "string", reload: "restart" } },
        code: { version: "paper-bot@1.4.2" },
        launcher: "worker session",
      });
      expect(contentHash(set as unknown as JsonValue)).toBe(hash);
      if (i > 0) expect(h.latency_ms).toBeGreaterThanOrEqual(0);
    }
    // The session is a run bound (NOT NULL) to the set it opened with.
    expect(detail.parameter_set_hash).toBe(detail.history[0]?.parameter_set_hash);
    // It is not a backtest.
    expect((await p.http(`/api/v1/backtests/${id}`)).status).toBe(404);
  });

  it("answers what a worker ran at a given time: version, hash and parameter set", async () => {
    const { items } = (await p.http("/api/v1/sessions?worker=paper-1")).body as SessionList;
    const [s] = items;
    const detail = await session(s?.session_id as string);
    const second = detail.history[1];
    const third = detail.history[2];
    // Between the second apply and the third.
    const between = new Date((Date.parse(second?.applied_at as string) + Date.parse(third?.applied_at as string)) / 2);
    const at = (await p.http(`/api/v1/sessions?worker=paper-1&at=${between.toISOString()}`)).body as SessionList;
    expect(at.items).toHaveLength(1);
    expect(at.items[0]?.in_effect).toMatchObject({
      seq: 2,
      config_version_id: second?.config_version_id,
      resolved_hash: second?.resolved_hash,
      parameter_set_hash: second?.parameter_set_hash,
    });
    // Before the worker started, it ran nothing.
    const before = (await p.http(`/api/v1/sessions?worker=paper-1&at=2020-01-01T00:00:00Z`)).body as SessionList;
    expect(before.items).toEqual([]);
  });

  it("a value waiting for a restart is in the set as held, and the session ends when the worker stops", async () => {
    const worker = subscribe("paper-2");
    await worker.start();
    const id = worker.sessionId(STRATEGY) as string;
    await p.api.activate(STRATEGY, await version({ stoploss: -0.02, exchange: "kraken" }));
    await eventually(async () => (worker.hasPending ? true : undefined), "the change");
    const [changed] = worker.boundary();
    expect(changed?.pending_restart).toEqual(["exchange"]);
    await worker.stop();
    const detail = await eventually(async () => {
      const s = await session(id);
      return s.status === "ended" ? s : undefined;
    }, "the session to end");
    const last = detail.history.at(-1);
    expect(last).toMatchObject({ resolved_hash: changed?.resolved_hash, pending_restart: ["exchange"] });
    const { parameter_set: set } = await p.api.getParameterSet(last?.parameter_set_hash as string);
    expect(set.values).toEqual({ stoploss: -0.02, exchange: "binance" });
    expect(set.provenance).toEqual({ stoploss: "config_version", exchange: "held_for_restart" });
  });

  it("a value held until no trade is open is in the set as held_between_trades, in the history and the workers view", async () => {
    await p.api.createParameter({
      name: "stake",
      type: "number",
      description: "Stake per trade",
      reload: "between_trades",
      strategies: [STRATEGY],
    });
    await p.api.activate(STRATEGY, await version({ stoploss: -0.02, exchange: "kraken", stake: 100 }));
    const worker = subscribe("paper-bt");
    await worker.start();
    const id = worker.sessionId(STRATEGY) as string;
    const next = await version({ stoploss: -0.03, exchange: "kraken", stake: 250 });
    await p.api.activate(STRATEGY, next);
    await eventually(async () => (worker.hasPending ? true : undefined), "the change");
    // A trade is open: the hot stop-loss applies, the stake is held.
    const [held] = worker.boundary({ at: "candle_close", openTrades: 1 });
    expect(held).toMatchObject({
      config_version_id: next,
      values: { stoploss: -0.03, exchange: "kraken", stake: 100 },
      pending_between_trades: ["stake"],
      pending_restart: [],
    });
    expect(worker.pendingBetweenTrades()).toEqual({ [STRATEGY]: ["stake"] });
    const view = async () =>
      (await p.api.listWorkers({ environment: "dev" })).items.find((w) => w.worker_id === "paper-bt");
    await eventually(
      async () => ((await view())?.pending_between_trades.length ? true : undefined),
      "the heartbeat with the held key",
    );
    expect(await view()).toMatchObject({ pending_between_trades: [`${STRATEGY}:stake`], pending_restart: [] });

    // No open trade at the next boundary: the stake applies, nothing waits.
    const [flat] = worker.boundary({ at: "flat", openTrades: 0 });
    expect(flat).toMatchObject({ values: { stake: 250 }, pending_between_trades: [] });
    expect(worker.pendingBetweenTrades()).toEqual({});
    const detail = await eventually(async () => {
      const s = await session(id);
      return s.history.length === 3 ? s : undefined;
    }, "the two applies in the history");
    const [, heldEntry, flatEntry] = detail.history;
    expect(heldEntry).toMatchObject({
      boundary: "candle_close",
      config_version_id: next,
      resolved_hash: held?.resolved_hash,
      pending_between_trades: ["stake"],
      pending_restart: [],
    });
    expect(flatEntry).toMatchObject({
      boundary: "flat",
      resolved_hash: flat?.resolved_hash,
      pending_between_trades: [],
    });
    // The held value's layer says why it is not the version's; the others come from the version.
    const heldSet = (await p.api.getParameterSet(heldEntry?.parameter_set_hash as string)).parameter_set;
    expect(heldSet.values).toEqual({ stoploss: -0.03, exchange: "kraken", stake: 100 });
    expect(heldSet.provenance).toEqual({
      stoploss: "config_version",
      exchange: "config_version",
      stake: "held_between_trades",
    });
    const flatSet = (await p.api.getParameterSet(flatEntry?.parameter_set_hash as string)).parameter_set;
    expect(flatSet.provenance).toMatchObject({ stake: "config_version" });
    await eventually(
      async () => ((await view())?.pending_between_trades.length === 0 ? true : undefined),
      "the heartbeat with nothing held",
    );
  });

  it("a new process of the same worker opens a new session and ends the old one", async () => {
    const first = subscribe("paper-3");
    await first.start();
    const second = subscribe("paper-3");
    await second.start();
    const [a, b] = [first.sessionId(STRATEGY) as string, second.sessionId(STRATEGY) as string];
    expect(a).not.toBe(b);
    expect((await session(a)).status).toBe("ended");
    expect((await session(b)).status).toBe("open");
    const open = (await p.http("/api/v1/sessions?worker=paper-3&status=open")).body as SessionList;
    expect(open.items.map((s) => s.session_id)).toEqual([b]);
  });

  it("refuses an apply whose values do not hash to what it says, or that names no process, and stores nothing", async () => {
    const count = async () =>
      (await p.db.query<{ n: number }>("SELECT count(*)::int AS n FROM session_history")).rows[0]?.n;
    const before = await count();
    const values = { stoploss: -0.05, exchange: "binance" };
    const apply = {
      strategy: STRATEGY,
      seq: 1,
      config_version_id: null,
      resolved_hash: contentHash({ stoploss: -0.06, exchange: "binance" }),
      values,
      applied_at: new Date().toISOString(),
      boundary: "start",
      latency_ms: null,
    };
    const auth = { authorization: `Bearer ${token}` };
    const lying = await p.http("/api/v1/workers/liar/heartbeat", {
      ...postJson(
        JSON.stringify({
          environment: "dev",
          applied: [],
          process: { instance: "i-1", mode: "live" },
          applies: [apply],
        }),
      ),
      headers: { "content-type": "application/json", ...auth },
    });
    expect(lying.status).toBe(422);
    expect(lying.body.errors[0]).toMatchObject({ field: "applies[0].values" });
    const nameless = await p.http("/api/v1/workers/liar/heartbeat", {
      ...postJson(
        JSON.stringify({
          environment: "dev",
          applied: [],
          applies: [{ ...apply, resolved_hash: contentHash(values) }],
        }),
      ),
      headers: { "content-type": "application/json", ...auth },
    });
    expect(nameless.status).toBe(422);
    expect(nameless.body.errors[0]).toMatchObject({ field: "process.instance" });
    expect(await count()).toBe(before);
  });

  it("the database refuses a history row without a parameter set, and any UPDATE or DELETE of one", async () => {
    const { rows } = await p.db.query<{ session_id: string; seq: number }>(
      "SELECT session_id::text, seq FROM session_history ORDER BY recorded_at LIMIT 1",
    );
    const row = rows[0] as { session_id: string; seq: number };
    await expect(
      p.db.query(
        `INSERT INTO session_history (session_id, seq, resolved_hash, parameter_set_hash, applied_at, boundary)
         VALUES ($1, 999, $2, $2, now(), 'forged')`,
        [row.session_id, "a".repeat(64)],
      ),
    ).rejects.toThrow(/foreign key|violates/);
    await expect(
      p.db.query(
        `INSERT INTO session_history (session_id, seq, resolved_hash, parameter_set_hash, applied_at, boundary)
         VALUES ($1, 998, $2, NULL, now(), 'forged')`,
        [row.session_id, "a".repeat(64)],
      ),
    ).rejects.toThrow(/null/i);
    await expect(
      p.db.query("UPDATE session_history SET boundary = 'rewritten' WHERE session_id = $1 AND seq = $2", [
        row.session_id,
        row.seq,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      p.db.query("UPDATE session_history SET pending_between_trades = '{stake}' WHERE session_id = $1 AND seq = $2", [
        row.session_id,
        row.seq,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      p.db.query("DELETE FROM session_history WHERE session_id = $1 AND seq = $2", [row.session_id, row.seq]),
    ).rejects.toThrow(/append-only/);
    await expect(p.db.query("TRUNCATE session_history")).rejects.toThrow(/append-only/);
    // A session's binding cannot be moved either.
    await expect(
      p.db.query("UPDATE runs SET worker_id = 'someone-else' WHERE job_id = $1", [row.session_id]),
    ).rejects.toThrow(/bound/);
  });
});
