import { describe, expect, it } from "vitest";
import { SYNTHETIC_ANNUAL_VOLATILITY, syntheticCandles } from "../../src/candles/synthetic.js";
import { fnv1a32, mulberry32 } from "../../src/prng.js";

const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2024, 1, 1);

describe("synthetic candles", () => {
  it("are the same for the same seed, pair and timeframe", () => {
    expect(syntheticCandles("BTC/USDT:USDT", "1h", START, END, 42)).toEqual(
      syntheticCandles("BTC/USDT:USDT", "1h", START, END, 42),
    );
  });

  it("differ between pairs and between seeds", () => {
    const closes = (pair: string, seed: number) => syntheticCandles(pair, "1h", START, END, seed).map((c) => c.close);
    expect(closes("BTC/USDT:USDT", 42)).not.toEqual(closes("ETH/USDT:USDT", 42));
    expect(closes("BTC/USDT:USDT", 42)).not.toEqual(closes("BTC/USDT:USDT", 43));
  });

  it("cover the range in timeframe steps, end exclusive, with consistent OHLC", () => {
    const candles = syntheticCandles("BTC/USDT", "1h", START, END, 7);
    expect(candles).toHaveLength(31 * 24);
    expect(candles[0]?.time).toBe(START);
    expect(candles[candles.length - 1]?.time).toBe(END - 3_600_000);
    for (const [i, c] of candles.entries()) {
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      if (i > 0) expect(c.open).toBe(candles[i - 1]?.close);
    }
  });

  it("have the configured volatility for the timeframe", () => {
    const candles = syntheticCandles("BTC/USDT", "1h", START, Date.UTC(2025, 0, 1), 42);
    const logReturns = candles.map((c) => Math.log(c.close / c.open));
    const mean = logReturns.reduce((a, b) => a + b, 0) / logReturns.length;
    const stdev = Math.sqrt(logReturns.reduce((a, r) => a + (r - mean) ** 2, 0) / (logReturns.length - 1));
    const expected = SYNTHETIC_ANNUAL_VOLATILITY * Math.sqrt(1 / (365 * 24));
    expect(Math.abs(stdev / expected - 1)).toBeLessThan(0.05);
  });

  it("rest on a pinned generator, so results stay reproducible across releases", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    const next = mulberry32(42);
    expect([next(), next()]).toEqual([0.6011037519201636, 0.44829055899754167]);
  });
});
