/**
 * @module Indicator series. Each returns one value per input value, NaN where it is not defined
 * yet (warm-up) or not defined at all; NaN never produces a trading signal.
 */

/** Simple moving average of the last `period` values; NaN while any of them is NaN. */
export function sma(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(Number.NaN);
  for (let i = period - 1; i < values.length; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j] ?? Number.NaN;
    out[i] = sum / period;
  }
  return out;
}

function rsiFromAverages(gain: number, loss: number): number {
  if (loss === 0) return gain === 0 ? 50 : 100; // flat: neutral; only gains: maximal
  return 100 - 100 / (1 + gain / loss);
}

/**
 * Wilder's RSI (0..100): the first average gain/loss is the plain mean of the first `period`
 * changes, then each average is `(previous * (period - 1) + current) / period`. Defined from
 * index `period` (it needs `period` changes).
 */
export function rsi(closes: readonly number[], period: number): number[] {
  const out = new Array<number>(closes.length).fill(Number.NaN);
  if (closes.length <= period) return out;
  const change = (i: number) => (closes[i] ?? Number.NaN) - (closes[i - 1] ?? Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    gain += Math.max(change(i), 0);
    loss += Math.max(-change(i), 0);
  }
  gain /= period;
  loss /= period;
  out[period] = rsiFromAverages(gain, loss);
  for (let i = period + 1; i < closes.length; i++) {
    gain = (gain * (period - 1) + Math.max(change(i), 0)) / period;
    loss = (loss * (period - 1) + Math.max(-change(i), 0)) / period;
    out[i] = rsiFromAverages(gain, loss);
  }
  return out;
}

/**
 * Stochastic oscillator of a series (0..100): where the value sits between the lowest and highest
 * of the last `period` values. NaN when the window is flat (the position is undefined).
 */
export function stochastic(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(Number.NaN);
  for (let i = period - 1; i < values.length; i++) {
    const window = values.slice(i - period + 1, i + 1);
    const low = Math.min(...window);
    const high = Math.max(...window);
    if (high > low) out[i] = (((values[i] ?? Number.NaN) - low) / (high - low)) * 100;
  }
  return out;
}

export interface StochRsiSettings {
  rsi_period: number;
  stoch_period: number;
  smooth_k: number;
  smooth_d: number;
}

/** Stochastic RSI: %K = SMA(stochastic(RSI), smooth_k), %D = SMA(%K, smooth_d). */
export function stochRsi(closes: readonly number[], settings: StochRsiSettings): { k: number[]; d: number[] } {
  const k = sma(stochastic(rsi(closes, settings.rsi_period), settings.stoch_period), settings.smooth_k);
  return { k, d: sma(k, settings.smooth_d) };
}
