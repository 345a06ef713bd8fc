import { describe, expect, it } from "vitest";
import { runBacktest } from "../../src/backtest.js";
import type { Candle } from "../../src/candles/candle.js";
import { crossSignals, type Signals } from "../../src/strategy.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Candles from [open, high, low, close] rows, one hour apart. */
function candles(rows: [number, number, number, number][]): Candle[] {
  return rows.map(([open, high, low, close], i) => ({ time: T0 + i * HOUR, open, high, low, close, volume: 1 }));
}

function signals(length: number, enterAt: number[], exitAt: number[] = []): Signals {
  return {
    enter: Array.from({ length }, (_, i) => enterAt.includes(i)),
    exit: Array.from({ length }, (_, i) => exitAt.includes(i)),
  };
}

function simulate(pairs: { pair: string; candles: Candle[]; signals: Signals }[], overrides = {}) {
  const settings = { stakeAmount: 100, fee: 0, stoploss: -0.1, startingBalance: 1000, timeframeMs: HOUR, ...overrides };
  const steps = runBacktest(pairs, settings);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

describe("crossSignals", () => {
  it("enters when %K crosses above %D below oversold and exits when it crosses below above overbought", () => {
    const k = [Number.NaN, 10, 15, 30, 50, 90, 85, 70];
    const d = [Number.NaN, 12, 12, 25, 60, 80, 88, 80];
    const { enter, exit } = crossSignals(k, d, 20, 80);
    expect(enter).toEqual([false, false, true, false, false, false, false, false]);
    // index 3 crosses up above oversold (no entry); index 6 crosses down at K 85 > 80
    expect(exit).toEqual([false, false, false, false, false, false, true, false]);
  });
});

describe("runBacktest", () => {
  it("fills a signal at the next open and exits on an exit signal at the following open", () => {
    const series = candles([
      [100, 101, 99, 100],
      [100, 103, 99, 102], // entry at this open (signal at candle 0)
      [102, 111, 101, 110],
      [112, 113, 108, 109], // exit at this open (signal at candle 2)
      [109, 110, 108, 109],
    ]);
    const { trades, equityCurve } = simulate([{ pair: "A/USDT", candles: series, signals: signals(5, [0], [2]) }], {
      fee: 0.01,
    });
    expect(trades).toHaveLength(1);
    const trade = trades[0];
    expect(trade).toMatchObject({ open_time: T0 + HOUR, close_time: T0 + 3 * HOUR, open_rate: 100, close_rate: 112 });
    expect(trade?.exit_reason).toBe("exit_signal");
    expect(trade?.amount).toBeCloseTo(0.99, 12); // 100 * (1 - 0.01) / 100
    expect(trade?.profit_abs).toBeCloseTo(0.99 * 112 * 0.99 - 100, 10);
    // starting point, then one per candle close: marked at the close while open
    expect(equityCurve.map((p) => p.equity)[2]).toBeCloseTo(900 + 0.99 * 102, 10);
    expect(equityCurve).toHaveLength(6);
  });

  it("stops out at entry * (1 + stoploss) when the low reaches it, or at the open after a gap", () => {
    const series = candles([
      [100, 100, 100, 100],
      [100, 101, 95, 96], // entry at 100, stop 90 not reached
      [96, 97, 89, 91], // low 89 <= 90: out at 90
      [91, 92, 90, 91], // entry signal from candle 2 fills here at 91, stop 81.9
      [80, 81, 79, 80], // opens below the stop: out at the open, 80
      [80, 80, 80, 80],
    ]);
    const { trades } = simulate([{ pair: "A/USDT", candles: series, signals: signals(6, [0, 2]) }]);
    expect(trades.map((t) => [t.open_rate, t.close_rate, t.exit_reason])).toEqual([
      [100, 90, "stop_loss"],
      [91, 80, "stop_loss"],
    ]);
    expect(trades[0]?.profit_ratio).toBeCloseTo(-0.1, 12);
  });

  it("closes an open trade at the last candle's close and keeps one trade per pair", () => {
    const series = candles([
      [10, 10, 10, 10],
      [10, 11, 10, 11],
      [11, 12, 11, 12],
    ]);
    const { trades, equityCurve } = simulate([{ pair: "A/USDT", candles: series, signals: signals(3, [0, 1]) }]);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({
      open_rate: 10,
      close_rate: 12,
      exit_reason: "end_of_data",
      close_time: T0 + 3 * HOUR,
    });
    expect(equityCurve[equityCurve.length - 1]?.equity).toBeCloseTo(1020, 10);
  });

  it("shares one balance between pairs and skips an entry it cannot fund", () => {
    const flat = candles([
      [10, 10, 10, 10],
      [10, 10, 10, 10],
      [10, 10, 10, 10],
    ]);
    const pairs = ["A/USDT", "B/USDT", "C/USDT"].map((pair) => ({ pair, candles: flat, signals: signals(3, [0]) }));
    const outcome = simulate(pairs, { startingBalance: 250 });
    expect(outcome.trades.map((t) => t.pair)).toEqual(["A/USDT", "B/USDT"]);
    expect(outcome.skippedEntries).toBe(1);
  });
});
