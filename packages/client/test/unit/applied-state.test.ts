/**
 * Property: whatever changes arrive, whenever, a value read inside a decision cycle never changes
 * during that cycle; every hot change is in use from the first boundary after it arrived; a
 * restart-only key never changes in a running worker, and is reported as waiting instead; a
 * between_trades key changes only at a boundary where the worker said it holds no open trade.
 */
import { contentHash, type ReloadClass } from "@tradai/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppliedState } from "../../src/subscriber/applied-state.js";
import { unsafeChanges } from "../../src/subscriber/signals.js";

/** A fixed seed by default, so a failure replays; TRADAI_PROPERTY_SEED=random explores, or replays a seed. */
const PROPERTY_SEED =
  process.env.TRADAI_PROPERTY_SEED === "random" ? {} : { seed: Number(process.env.TRADAI_PROPERTY_SEED ?? 20261207) };

const HOT = ["risk.stoploss", "risk.max_trades"];
const RESTART = ["exchange.name", "timeframe"];
const KEYS = [...HOT, ...RESTART];

function nested(flat: Record<string, number>): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | number> = {};
  for (const [key, value] of Object.entries(flat)) {
    const [head, tail] = key.split(".") as [string, string | undefined];
    if (tail === undefined) out[head] = value;
    else out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), [tail]: value };
  }
  return out;
}
const read = (values: Readonly<Record<string, unknown>>, key: string): unknown =>
  key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], values);

const change = fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: -1000, max: 1000 }), { minKeys: 1 });
// A cycle: some reads, with changes arriving before, between or after them.
const cycle = fc.array(fc.oneof(fc.constant<"read">("read"), change), { maxLength: 8 });

describe("AppliedState: changes apply only at boundaries", () => {
  it("holds for random change streams against random cycle schedules", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: -1000, max: 1000 }), { minKeys: KEYS.length }),
        fc.array(cycle, { minLength: 1, maxLength: 30 }),
        (initial, cycles) => {
          const state = new AppliedState();
          let server = { ...initial };
          let seq = 1;
          const payload = (flat: Record<string, number>) => ({
            strategy: "S",
            config_version_id: `v${seq}-00000000`,
            resolved_hash: contentHash(nested(flat) as never),
            values: nested(flat),
          });
          state.initialise([payload(server)], seq);
          const reloads: { key: string; reload: ReloadClass }[] = KEYS.map((key) => ({
            key,
            reload: HOT.includes(key) ? "hot" : "restart",
          }));
          for (const steps of cycles) {
            const atStart = state.get("S");
            for (const step of steps) {
              if (step === "read") {
                // Inside the cycle: exactly what was in use when it started.
                expect(state.get("S")).toBe(atStart);
                for (const key of KEYS)
                  expect(read(state.get("S")?.values ?? {}, key)).toBe(read(atStart?.values ?? {}, key));
              } else {
                seq += 1;
                server = { ...server, ...step };
                state.receive(
                  [payload(server)],
                  seq,
                  reloads.filter((r) => r.key in step),
                );
              }
            }
            state.boundary();
            const now = state.get("S");
            for (const key of HOT) expect(read(now?.values ?? {}, key)).toBe(server[key]);
            for (const key of RESTART) expect(read(now?.values ?? {}, key)).toBe(initial[key]);
            expect(now?.pending_restart).toEqual(RESTART.filter((key) => server[key] !== initial[key]).sort());
            if (now?.pending_restart.length === 0) expect(now.resolved_hash).toBe(contentHash(nested(server) as never));
            // Whatever waits, the hash it reports is the hash of the values it runs.
            expect(now?.resolved_hash).toBe(contentHash((now?.values ?? {}) as never));
            expect(Object.isFrozen(now?.values)).toBe(true);
          }
        },
      ),
      { numRuns: 300, ...PROPERTY_SEED },
    );
  });

  it("a key whose class no event named is never applied live", () => {
    const state = new AppliedState();
    state.initialise([{ strategy: "S", config_version_id: "v1-00000000", resolved_hash: null, values: { a: 1 } }], 1);
    state.receive([{ strategy: "S", config_version_id: "v2-00000000", resolved_hash: null, values: { a: 2 } }], 2);
    const [changed] = state.boundary();
    expect(changed).toMatchObject({ config_version_id: "v2-00000000", values: { a: 1 }, pending_restart: ["a"] });
  });
});

describe("AppliedState: between_trades keys wait for a boundary with no open trade", () => {
  const CLASSES: { key: string; reload: ReloadClass }[] = [
    { key: "stake", reload: "between_trades" },
    { key: "stoploss", reload: "hot" },
    { key: "exchange", reload: "restart" },
  ];
  const config = (version: number, values: Record<string, unknown>) => ({
    strategy: "S",
    config_version_id: `v${version}-00000000`,
    resolved_hash: contentHash(values as never),
    values,
  });
  const V1 = { stake: 100, stoploss: -0.05, exchange: "binance" };
  const started = () => {
    const state = new AppliedState();
    state.initialise([config(1, V1)], 1);
    return state;
  };

  it("holds them while a trade is open or when not told, and applies them at a later boundary with openTrades 0", () => {
    const state = started();
    const v2 = config(2, { ...V1, stake: 200, stoploss: -0.04 });
    state.receive([v2], 2, CLASSES);
    // Not told: a trade may be open. The hot key changes, the stake is held.
    const [held] = state.boundary();
    expect(held).toMatchObject({
      config_version_id: "v2-00000000",
      values: { stake: 100, stoploss: -0.04, exchange: "binance" },
      pending_between_trades: ["stake"],
      pending_restart: [],
    });
    // The hash is of the values in use, not the server's (a value waits).
    expect(held?.resolved_hash).toBe(contentHash({ stake: 100, stoploss: -0.04, exchange: "binance" }));
    expect(held?.resolved_hash).not.toBe(v2.resolved_hash);
    expect(state.hasPending).toBe(true);
    // Trades open: still held, nothing changes.
    expect(state.boundary(new Date(), { openTrades: 2 })).toEqual([]);
    expect(state.get("S")).toBe(held);
    // Only 0 means flat: a nonsense count holds too.
    expect(state.boundary(new Date(), { openTrades: -1 })).toEqual([]);
    expect(state.boundary(new Date(), { openTrades: Number.NaN })).toEqual([]);
    // Flat: the held config applies, and the server's hash stands.
    const [applied] = state.boundary(new Date(), { openTrades: 0 });
    expect(applied).toMatchObject({
      config_version_id: "v2-00000000",
      values: { stake: 200, stoploss: -0.04, exchange: "binance" },
      pending_between_trades: [],
      resolved_hash: v2.resolved_hash,
      seq: 2,
    });
    expect(state.hasPending).toBe(false);
    expect(state.boundary(new Date(), { openTrades: 0 })).toEqual([]);
  });

  it("a newer config dropped (a live worker refused it) lets the held one wait for its boundary again", () => {
    const state = started();
    state.receive([config(2, { ...V1, stake: 200 })], 2, CLASSES);
    state.boundary(new Date(), { openTrades: 1 }); // stake held: v2 stays pending
    state.receive([config(3, { ...V1, stake: 200, stoploss: -0.01 })], 3, CLASSES);
    state.dropPending("S"); // refused: v3 never applies
    expect(state.pendingConfigs().map((c) => c.config_version_id)).toEqual(["v2-00000000"]);
    const [flat] = state.boundary(new Date(), { openTrades: 0 });
    expect(flat).toMatchObject({ config_version_id: "v2-00000000", values: { stake: 200, stoploss: -0.05 } });
    expect(state.hasPending).toBe(false);
  });

  it("applies them at once at a boundary with openTrades 0, with the hot keys", () => {
    const state = started();
    const v2 = config(2, { ...V1, stake: 200, stoploss: -0.04 });
    state.receive([v2], 2, CLASSES);
    const [applied] = state.boundary(new Date(), { openTrades: 0 });
    expect(applied).toMatchObject({ values: v2.values, pending_between_trades: [], resolved_hash: v2.resolved_hash });
    expect(state.hasPending).toBe(false);
  });

  it("the server's hash stands only when nothing waits: neither a restart key nor a between_trades key", () => {
    const state = started();
    const v2 = config(2, { stake: 200, stoploss: -0.05, exchange: "kraken" });
    state.receive([v2], 2, CLASSES);
    const [flat] = state.boundary(new Date(), { openTrades: 0 });
    // The stake applies (flat), the exchange waits for a restart: the hash is of the values in use.
    expect(flat).toMatchObject({
      values: { stake: 200, stoploss: -0.05, exchange: "binance" },
      pending_restart: ["exchange"],
      pending_between_trades: [],
    });
    expect(flat?.resolved_hash).toBe(contentHash({ stake: 200, stoploss: -0.05, exchange: "binance" }));
    // Back to binance: nothing waits, the server's hash of v3 stands.
    const v3 = config(3, { stake: 200, stoploss: -0.05, exchange: "binance" });
    state.receive([v3], 3, CLASSES);
    const [complete] = state.boundary();
    expect(complete).toMatchObject({
      pending_restart: [],
      pending_between_trades: [],
      resolved_hash: v3.resolved_hash,
    });
  });

  it("a key whose incoming value goes back to the value in use stops waiting", () => {
    const state = started();
    state.receive([config(2, { ...V1, stake: 200 })], 2, CLASSES);
    expect(state.boundary()[0]?.pending_between_trades).toEqual(["stake"]);
    const v3 = config(3, { ...V1 });
    state.receive([v3], 3, CLASSES);
    // Trades still open, but nothing differs from what is in use any more.
    const [back] = state.boundary(new Date(), { openTrades: 1 });
    expect(back).toMatchObject({
      config_version_id: "v3-00000000",
      values: V1,
      pending_between_trades: [],
      resolved_hash: v3.resolved_hash,
    });
    expect(state.hasPending).toBe(false);
  });

  it("a newer config replaces the held one", () => {
    const state = started();
    state.receive([config(2, { ...V1, stake: 200 })], 2, CLASSES);
    state.boundary(new Date(), { openTrades: 1 });
    const v3 = config(3, { ...V1, stake: 300 });
    state.receive([v3], 3, CLASSES);
    const [still] = state.boundary(new Date(), { openTrades: 1 });
    expect(still).toMatchObject({ config_version_id: "v3-00000000", values: V1, pending_between_trades: ["stake"] });
    const [applied] = state.boundary(new Date(), { openTrades: 0 });
    // The newest value, never the replaced one.
    expect(applied).toMatchObject({ config_version_id: "v3-00000000", values: { stake: 300 }, seq: 3 });
    expect(applied?.resolved_hash).toBe(v3.resolved_hash);
  });

  it("a key below a between_trades parameter takes its class", () => {
    const state = new AppliedState();
    state.initialise([config(1, { risk: { stake: 1, max_open: 3 } })], 1);
    state.receive([config(2, { risk: { stake: 2, max_open: 4 } })], 2, [{ key: "risk", reload: "between_trades" }]);
    expect(state.boundary()[0]?.pending_between_trades).toEqual(["risk.max_open", "risk.stake"]);
    expect(state.boundary(new Date(), { openTrades: 0 })[0]?.values).toEqual({ risk: { stake: 2, max_open: 4 } });
  });
});

describe("AppliedState: keys a newer config no longer has", () => {
  it("are removed with any object they leave empty, so the values are the server's and its hash stands", () => {
    const state = new AppliedState();
    const v1 = { risk: { stoploss: -0.05, stake: 100 }, exchange: "binance" };
    state.initialise(
      [{ strategy: "S", config_version_id: "v1-00000000", resolved_hash: contentHash(v1), values: v1 }],
      1,
    );
    const v2 = { exchange: "binance" };
    state.receive(
      [{ strategy: "S", config_version_id: "v2-00000000", resolved_hash: contentHash(v2), values: v2 }],
      2,
      [
        { key: "risk.stoploss", reload: "hot" },
        { key: "risk.stake", reload: "between_trades" },
      ],
    );
    const [applied] = state.boundary(new Date(), { openTrades: 0 });
    expect(applied?.values).toEqual({ exchange: "binance" });
    expect(applied?.resolved_hash).toBe(contentHash(v2));
  });

  it("a restart key that a newer config drops again stops waiting", () => {
    const state = new AppliedState();
    const v1 = { exchange: "binance" };
    state.initialise(
      [{ strategy: "S", config_version_id: "v1-00000000", resolved_hash: contentHash(v1), values: v1 }],
      1,
    );
    const v2 = { exchange: "binance", venue_fee: 0.1 };
    state.receive([{ strategy: "S", config_version_id: "v2-00000000", resolved_hash: contentHash(v2), values: v2 }], 2);
    expect(state.boundary()[0]?.pending_restart).toEqual(["venue_fee"]);
    state.receive([{ strategy: "S", config_version_id: "v3-00000000", resolved_hash: contentHash(v1), values: v1 }], 3);
    const [back] = state.boundary();
    expect(back?.pending_restart).toEqual([]);
    expect(back?.resolved_hash).toBe(contentHash(v1));
  });
});

describe("AppliedState: shadow keys are never applied; where they would have been is observed", () => {
  const CLASSES: { key: string; reload: ReloadClass }[] = [
    { key: "offset", reload: "shadow" },
    { key: "stoploss", reload: "hot" },
  ];
  const config = (version: number, values: Record<string, unknown>) => ({
    strategy: "S",
    config_version_id: `v${version}-00000000`,
    resolved_hash: contentHash(values as never),
    values,
  });
  const V1 = { offset: 0.01, stoploss: -0.05 };

  it("keeps the value in use, holds the key, observes old and new once, and a removal without `new`", () => {
    const state = new AppliedState();
    state.initialise([config(1, V1)], 1);
    state.receive([config(2, { offset: 0.02, stoploss: -0.04 })], 2, CLASSES);
    const [applied] = state.boundary(new Date("2026-12-07T10:00:00Z"), { openTrades: 1 });
    expect(applied).toMatchObject({ values: { offset: 0.01, stoploss: -0.04 }, held_shadow: ["offset"], seq: 2 });
    expect(applied?.resolved_hash).toBe(contentHash({ offset: 0.01, stoploss: -0.04 }));
    expect(state.takeShadowChanges()).toEqual([
      { strategy: "S", key: "offset", old: 0.01, new: 0.02, seq: 2, open_trades: 1, at: "2026-12-07T10:00:00.000Z" },
    ]);
    // The same shadow value again (another key changed): applied, not observed again.
    state.receive([config(3, { offset: 0.02, stoploss: -0.03 })], 3, CLASSES);
    state.boundary();
    expect(state.takeShadowChanges()).toEqual([]);
    // Removed: observed without `new`; the key stays in use, and held.
    state.receive([config(4, { stoploss: -0.03 })], 4, CLASSES);
    const [removed] = state.boundary(new Date(), {});
    expect(state.takeShadowChanges()).toEqual([expect.not.objectContaining({ new: expect.anything() })]);
    expect(removed).toMatchObject({ values: { offset: 0.01 }, held_shadow: ["offset"] });
    // Back to the value in use: nothing held, the server's hash stands, and a later change is observed anew.
    state.receive([config(5, { offset: 0.01, stoploss: -0.03 })], 5, CLASSES);
    const [back] = state.boundary();
    expect(back).toMatchObject({ held_shadow: [], resolved_hash: contentHash({ offset: 0.01, stoploss: -0.03 }) });
    state.receive([config(6, { offset: 0.02, stoploss: -0.03 })], 6, CLASSES);
    state.boundary();
    expect(state.takeShadowChanges()).toHaveLength(1);
  });

  it("a shadow key changed by a broken apply is a violation", () => {
    const state = new AppliedState();
    state.initialise([config(1, V1)], 1);
    state.receive([config(2, { offset: 0.02, stoploss: -0.05 })], 2, CLASSES);
    const before = state.get("S");
    state.initialise([config(2, { offset: 0.02, stoploss: -0.05 })], 2);
    const after = state.get("S");
    if (!before || !after) throw new Error("no config");
    expect(unsafeChanges(before, after, state.reloadClasses, 0)).toEqual([{ key: "offset", reload: "shadow" }]);
  });
});

describe("AppliedState: the reload rule, for random receives and boundaries", () => {
  const BY_CLASS: Record<ReloadClass, string[]> = {
    hot: ["risk.stoploss", "filters.spread"],
    between_trades: ["risk.stake", "max_open_trades"],
    restart: ["exchange.name", "timeframe"],
    shadow: ["entry.offset", "exit_profit"],
  };
  const ALL = Object.values(BY_CLASS).flat();
  const classOf = (key: string) =>
    (Object.keys(BY_CLASS) as ReloadClass[]).find((c) => BY_CLASS[c].includes(key)) as ReloadClass;
  // Few values, so that a key often goes back to the value in use.
  const value = fc.integer({ min: 0, max: 3 });
  const step = fc.oneof(
    fc.record({ receive: fc.dictionary(fc.constantFrom(...ALL), value, { minKeys: 1 }) }),
    fc.record({ boundary: fc.option(fc.constantFrom(0, 0, 1, 2), { nil: undefined }) }),
  );

  it("restart and shadow keys never change; between_trades keys change only at a boundary told openTrades 0; hot keys follow the latest received; each new shadow value is observed once", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...ALL), value, { minKeys: ALL.length }),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        (initial, steps) => {
          const state = new AppliedState();
          let seq = 1;
          const payload = (flat: Record<string, number>) => ({
            strategy: "S",
            config_version_id: `v${seq}-00000000`,
            resolved_hash: contentHash(nested(flat) as never),
            values: nested(flat),
          });
          state.initialise([payload(initial)], seq);
          let server = { ...initial };
          // The shadow values observed so far, per key: each new one once, at the first boundary after it came.
          const observed = new Map<string, number>();
          for (const s of steps) {
            const before = state.get("S");
            if ("receive" in s) {
              seq += 1;
              server = { ...server, ...s.receive };
              const named = Object.keys(s.receive).map((key) => ({ key, reload: classOf(key) }));
              state.receive([payload(server)], seq, named);
              // Received is not applied: nothing in use changes before a boundary.
              expect(state.get("S")).toBe(before);
              continue;
            }
            const openTrades = s.boundary;
            state.boundary(new Date(), openTrades === undefined ? {} : { openTrades });
            const now = state.get("S");
            const inUse = (key: string) => read(now?.values ?? {}, key);
            const was = (key: string) => read(before?.values ?? {}, key);
            for (const key of [...BY_CLASS.restart, ...BY_CLASS.shadow]) expect(inUse(key)).toBe(initial[key]);
            const seen = state.takeShadowChanges();
            for (const key of BY_CLASS.shadow) {
              const mine = seen.filter((o) => o.key === key);
              const differs = server[key] !== initial[key];
              const expected = differs && observed.get(key) !== server[key] ? 1 : 0;
              expect(mine, key).toHaveLength(expected);
              if (expected) {
                expect(mine[0]).toMatchObject({ old: initial[key], new: server[key], open_trades: openTrades ?? null });
                observed.set(key, server[key] as number);
              }
              if (!differs) observed.delete(key);
            }
            for (const key of BY_CLASS.hot) expect(inUse(key)).toBe(server[key]);
            for (const key of BY_CLASS.between_trades) {
              if (inUse(key) !== was(key)) expect(openTrades).toBe(0);
              if (openTrades === 0) expect(inUse(key)).toBe(server[key]);
            }
            const restartWaits = BY_CLASS.restart.filter((key) => inUse(key) !== server[key]).sort();
            const tradeWaits = BY_CLASS.between_trades.filter((key) => inUse(key) !== server[key]).sort();
            expect(now?.pending_restart).toEqual(restartWaits);
            expect(now?.pending_between_trades).toEqual(tradeWaits);
            const shadowHeld = BY_CLASS.shadow.filter((key) => inUse(key) !== server[key]).sort();
            expect(now?.held_shadow).toEqual(shadowHeld);
            // Only held between_trades keys keep a config pending for a later boundary.
            expect(state.hasPending).toBe(tradeWaits.length > 0);
            // The server's hash only when nothing waits; otherwise the hash of the values in use.
            expect(now?.resolved_hash).toBe(
              restartWaits.length + tradeWaits.length + shadowHeld.length === 0
                ? contentHash(nested(server) as never)
                : contentHash(now?.values as never),
            );
            expect(Object.isFrozen(now?.values)).toBe(true);
            // KPI 4: the violation check finds nothing, ever, in correct use.
            if (before && now && now !== before)
              expect(unsafeChanges(before, now, state.reloadClasses, openTrades)).toEqual([]);
          }
        },
      ),
      { numRuns: 300, ...PROPERTY_SEED },
    );
  });

  it("a broken apply (the internal initialise, taking every value at once) is a violation", () => {
    const state = new AppliedState();
    const v1 = { risk: { stake: 1, stoploss: -0.1 }, timeframe: "1h" };
    state.initialise(
      [{ strategy: "S", config_version_id: "v1-00000000", resolved_hash: contentHash(v1), values: v1 }],
      1,
    );
    const classes: { key: string; reload: ReloadClass }[] = [
      { key: "risk.stake", reload: "between_trades" },
      { key: "risk.stoploss", reload: "hot" },
      { key: "timeframe", reload: "restart" },
    ];
    const v2 = { risk: { stake: 2, stoploss: -0.2 }, timeframe: "4h" };
    const incoming = { strategy: "S", config_version_id: "v2-00000000", resolved_hash: contentHash(v2), values: v2 };
    state.receive([incoming], 2, classes);
    const before = state.get("S");
    state.initialise([incoming], 2); // misuse on purpose: what boundary() never does
    const after = state.get("S");
    if (!before || !after) throw new Error("no config");
    expect(unsafeChanges(before, after, state.reloadClasses, 3)).toEqual([
      { key: "risk.stake", reload: "between_trades" },
      { key: "timeframe", reload: "restart" },
    ]);
    expect(unsafeChanges(before, after, state.reloadClasses, 0)).toEqual([{ key: "timeframe", reload: "restart" }]);
  });
});
