import { describe, expect, it } from "vitest";
import { annualisedSharpe, computeMetrics, maxDrawdown } from "../../src/metrics.js";

const DAY = 86_400_000;
const curve = (values: number[]) => values.map((equity, i) => ({ time: i * DAY, equity }));

describe("metrics", () => {
  it("max drawdown is the largest fall from a running peak, as a positive fraction of the peak", () => {
    // peaks 120 -> 90 is 25%, 130 -> 65 is 50%
    expect(maxDrawdown([100, 120, 90, 130, 65, 140])).toBe(0.5);
    expect(maxDrawdown([100, 101, 102])).toBe(0);
  });

  it("sharpe annualises mean/stdev of per-candle returns by the candles in a year", () => {
    // returns +10%, -10%, +10%: mean 1/30, sample variance 1/75
    const expected = (Math.sqrt(75) / 30) * Math.sqrt(365);
    expect(annualisedSharpe([100, 110, 99, 108.9], DAY)).toBeCloseTo(expected, 9);
    // hourly candles: 8760 per year
    expect(annualisedSharpe([100, 110, 99, 108.9], DAY / 24)).toBeCloseTo((Math.sqrt(75) / 30) * Math.sqrt(8760), 9);
  });

  it("sharpe is 0 for a flat curve or too few returns", () => {
    expect(annualisedSharpe([100, 100, 100, 100], DAY)).toBe(0);
    expect(annualisedSharpe([100, 120], DAY)).toBe(0);
  });

  it("computes totals, win rate and counts from a known curve and trades", () => {
    const trades = [{ profit_abs: 30 }, { profit_abs: -10 }, { profit_abs: 0 }, { profit_abs: 5 }];
    const metrics = computeMetrics(curve([1000, 1030, 1020, 1020, 1025]), trades, 1000, DAY, 2);
    expect(metrics).toMatchObject({
      final_balance: 1025,
      starting_balance: 1000,
      trade_count: 4,
      win_rate: 0.5, // a zero-profit trade is not a win
      skipped_entries: 2,
    });
    expect(metrics.total_return).toBeCloseTo(0.025, 12);
    expect(metrics.profit_total).toBeCloseTo(25, 12);
    expect(metrics.max_drawdown).toBeCloseTo(10 / 1030, 12);
  });

  it("win rate is 0 without trades", () => {
    expect(computeMetrics(curve([1000, 1000]), [], 1000, DAY, 0).win_rate).toBe(0);
  });
});
