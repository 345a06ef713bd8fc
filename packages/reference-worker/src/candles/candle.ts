/** @module One OHLCV candle; `time` is its open time in epoch milliseconds (UTC). */

export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The candles of one pair, oldest first, all inside the run's time range. */
export interface PairCandles {
  pair: string;
  candles: Candle[];
}
