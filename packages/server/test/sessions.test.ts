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

  it("a shadow key never changes the value in use: the worker reports where it would have applied, once per value, and the catalog's evidence counts it", async () => {
    await p.api.createParameter({
      name: "entry_offset",
      type: "number",
      description: "Entry offset",
      reload: "shadow",
      strategies: [STRATEGY],
    });
    const base = { stoploss: -0.05, exchange: "binance", entry_offset: 0.01 };
    await p.api.activate(STRATEGY, await version(base));
    const events: [string, Record<string, unknown>][] = [];
    const told: string[] = [];
    const worker = subscribe("paper-shadow", {
      onEvent: (name, fields) => events.push([name, fields]),
      info: (line) => told.push(line),
    });
    await worker.start();
    const id = worker.sessionId(STRATEGY) as string;
    const next = await version({ ...base, stoploss: -0.04, entry_offset: 0.02 });
    await p.api.activate(STRATEGY, next);
    await eventually(async () => (worker.hasPending ? true : undefined), "the change");
    const [applied] = worker.boundary({ at: "candle_close", openTrades: 2 });
    // The hot key applies; the shadow key keeps its value, held, and the change counts as applied.
    expect(applied).toMatchObject({
      config_version_id: next,
      values: { stoploss: -0.04, entry_offset: 0.01 },
      held_shadow: ["entry_offset"],
    });
    expect(worker.current(STRATEGY).values.entry_offset).toBe(0.01);
    expect(worker.heldShadow()).toEqual({ [STRATEGY]: ["entry_offset"] });
    const shadowEvents = () => events.filter(([name]) => name === "config_shadow_would_apply").map(([, f]) => f);
    expect(shadowEvents()).toEqual([
      expect.objectContaining({
        strategy: STRATEGY,
        key: "entry_offset",
        old: 0.01,
        new: 0.02,
        boundary: "candle_close",
        open_trades: 2,
        trade_open: true,
        worker_id: "paper-shadow",
      }),
    ]);
    expect(told).toEqual([expect.stringMatching(/entry_offset 0\.01 -> 0\.02 at candle_close \(2 trade\(s\) open\)/)]);
    // A later change that keeps the shadow key's new value: applied, and not observed again.
    const later = await version({ ...base, stoploss: -0.03, entry_offset: 0.02 });
    await p.api.activate(STRATEGY, later);
    await eventually(async () => (worker.hasPending ? true : undefined), "the later change");
    const [second] = worker.boundary({ at: "candle_close", openTrades: 0 });
    expect(second?.values).toMatchObject({ stoploss: -0.03, entry_offset: 0.01 });
    expect(shadowEvents()).toHaveLength(1);
    // The evidence: one observation, one worker, mid-trade.
    const evidence = await eventually(async () => {
      const { items } = await p.api.shadowEvidence({ environment: "dev" });
      return items.find((i) => i.key === "entry_offset");
    }, "the heartbeat with the observation");
    expect(evidence).toMatchObject({
      key: "entry_offset",
      parameter: "entry_offset",
      reload: "shadow",
      events: 1,
      workers: 1,
      mid_trade: 1,
      trade_unknown: 0,
    });
    // The history keeps the held key, and the set marks its value held_shadow.
    const entry = await eventually(async () => {
      const s = await session(id);
      return s.history.find((h) => h.config_version_id === next);
    }, "the apply in the history");
    expect(entry?.held_shadow).toEqual(["entry_offset"]);
    const set = (await p.api.getParameterSet(entry?.parameter_set_hash as string)).parameter_set;
    expect(set.provenance).toMatchObject({ stoploss: "config_version", entry_offset: "held_shadow" });

    // A report resent after a lost answer counts once; an observation without its process is refused.
    const observation = {
      id: 1,
      strategy: STRATEGY,
      key: "entry_offset",
      old: 0.01,
      new: null,
      seq: 0,
      boundary: "flat",
      open_trades: null,
      at: new Date().toISOString(),
    };
    const auth = { authorization: `Bearer ${token}` };
    const report = (process?: object) =>
      p.http("/api/v1/workers/paper-shadow-2/heartbeat", {
        ...postJson(
          JSON.stringify({ environment: "dev", applied: [], shadow: [observation], ...(process ? { process } : {}) }),
        ),
        headers: { ...auth, "content-type": "application/json" },
      });
    expect((await report()).status).toBe(422);
    expect((await report({ instance: "p2", mode: "paper" })).status).toBe(204);
    expect((await report({ instance: "p2", mode: "paper" })).status).toBe(204);
    const { items } = await p.api.shadowEvidence({ environment: "dev" });
    expect(items.find((i) => i.key === "entry_offset")).toMatchObject({ events: 2, workers: 2, trade_unknown: 1 });
    const { rows } = await p.db.query<{ new_value: unknown }>(
      "SELECT new_value FROM shadow_observations WHERE worker_id = 'paper-shadow-2'",
    );
    expect(rows).toEqual([{ new_value: null }]); // a JSON null, kept as a value
    const { rows: absent } = await p.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM shadow_observations WHERE new_value IS NULL",
    );
    expect(absent[0]?.n).toBe(0);
    await expect(p.db.query("UPDATE shadow_observations SET open_trades = 0")).rejects.toThrow(/append-only/);
    await expect(p.db.query("DELETE FROM shadow_observations")).rejects.toThrow(/append-only/);

    // Switching shadow to hot is a catalog change: a new revision and its audit entry.
    const parameter = (await p.api.getParameter("entry_offset")).parameter;
    const { revision } = (await p.api.updateParameter({ ...parameter, reload: "hot" })) as { revision: number };
    const audit = await p.api.listAudit({ action: "catalog.change", target_id: String(revision) });
    expect(audit.items).toHaveLength(1);
    expect(JSON.stringify(audit.items[0]?.details)).toMatch(/entry_offset.*shadow.*hot|entry_offset.*hot.*shadow/);
    expect(
      (await p.api.shadowEvidence({ environment: "dev" })).items.find((i) => i.key === "entry_offset")?.reload,
    ).toBe("hot");
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
