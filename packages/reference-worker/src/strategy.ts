/**
 * @module StochRsiStrategy's signals, decided at each candle's close (long only):
 * - enter: %K crosses above %D while both are below `oversold`;
 * - exit: %K crosses below %D while both are above `overbought`.
 * "Crosses above" at candle i means K[i-1] <= D[i-1] and K[i] > D[i].
 */
import type { Candle } from "./candles/candle.js";
import { type StochRsiSettings, stochRsi } from "./indicators.js";

export interface Signals {
  enter: boolean[];
  exit: boolean[];
}

export interface SignalSettings extends StochRsiSettings {
  oversold: number;
  overbought: number;
}

const at = (series: readonly number[], i: number) => series[i] ?? Number.NaN;

export function crossSignals(
  k: readonly number[],
  d: readonly number[],
  oversold: number,
  overbought: number,
): Signals {
  const enter = new Array<boolean>(k.length).fill(false);
  const exit = new Array<boolean>(k.length).fill(false);
  for (let i = 1; i < k.length; i++) {
    // Comparisons with NaN are false, so warm-up candles never signal.
    const crossedUp = at(k, i - 1) <= at(d, i - 1) && at(k, i) > at(d, i);
    const crossedDown = at(k, i - 1) >= at(d, i - 1) && at(k, i) < at(d, i);
    enter[i] = crossedUp && at(k, i) < oversold; // K is above D, so D is below oversold too
    exit[i] = crossedDown && at(k, i) > overbought; // K is below D, so D is above overbought too
  }
  return { enter, exit };
}

export function stochRsiSignals(candles: readonly Candle[], settings: SignalSettings): Signals {
  const { k, d } = stochRsi(
    candles.map((c) => c.close),
    settings,
  );
  return crossSignals(k, d, settings.oversold, settings.overbought);
}
