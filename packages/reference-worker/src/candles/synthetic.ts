/**
 * @module Synthetic candles: a seeded geometric random walk, for running without market data.
 *
 * The seed is `fnv1a32("<data_seed>|<pair>|<timeframe>")`, so pairs (and timeframes) get different
 * paths. The walk starts at the range's first candle: another start date gives the same path
 * shifted in time. Only V8's fdlibm-based Math.exp/log/cos are used, which do not vary by machine.
 */
import { TIMEFRAME_MS, type Timeframe } from "@tradai/core";
import { fnv1a32, mulberry32, normalSampler } from "../prng.js";
import type { Candle } from "./candle.js";

/** Roughly a large crypto asset's annualised volatility. */
export const SYNTHETIC_ANNUAL_VOLATILITY = 0.6;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export function syntheticSeed(dataSeed: number, pair: string, timeframe: Timeframe): number {
  return fnv1a32(`${dataSeed}|${pair}|${timeframe}`);
}

/** Candles opening at startMs, startMs + timeframe, ... while before endMs. */
export function syntheticCandles(
  pair: string,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
  dataSeed: number,
): Candle[] {
  const step = TIMEFRAME_MS[timeframe];
  const uniform = mulberry32(syntheticSeed(dataSeed, pair, timeframe));
  const normal = normalSampler(uniform);
  // Volatility scales with the square root of time; -sigma^2/2 keeps the expected price flat.
  const sigma = SYNTHETIC_ANNUAL_VOLATILITY * Math.sqrt(step / YEAR_MS);
  const drift = (-sigma * sigma) / 2;
  let close = 10 ** (1 + 3 * uniform()); // a starting price between 10 and 10,000
  const candles: Candle[] = [];
  for (let time = startMs; time < endMs; time += step) {
    const open = close;
    close = open * Math.exp(drift + sigma * normal());
    // Wicks: half a candle's volatility beyond the body, on each side independently.
    const high = Math.max(open, close) * Math.exp(0.5 * sigma * Math.abs(normal()));
    const low = Math.min(open, close) * Math.exp(-0.5 * sigma * Math.abs(normal()));
    const volume = 1000 * Math.exp(0.5 * normal());
    candles.push({ time, open, high, low, close, volume });
  }
  return candles;
}
