/** @module The run's candles: from CSV files when DATA_DIR is set, otherwise synthetic. */
import { basename } from "node:path";
import type { ResolvedParameters } from "../parameters.js";
import type { Candle, PairCandles } from "./candle.js";
import { readCsvCandles } from "./csv.js";
import { SYNTHETIC_ANNUAL_VOLATILITY, syntheticCandles } from "./synthetic.js";

export interface LoadedCandles {
  pairs: PairCandles[];
  /** The result's `data` section: where the candles came from, precisely enough to get them again. */
  description: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function summary(pair: string, candles: Candle[]) {
  const first = candles[0];
  const last = candles[candles.length - 1];
  return {
    pair,
    candles: candles.length,
    first_candle: first ? iso(first.time) : null,
    last_candle: last ? iso(last.time) : null,
  };
}

export function loadCandles(resolved: ResolvedParameters, dataDir: string | undefined): LoadedCandles {
  const { symbols, timeframe, data_seed: seed } = resolved.effective;
  const { startMs, endMs } = resolved;
  const range = { timeframe, start: iso(startMs), end: iso(endMs), end_exclusive: true };
  if (dataDir !== undefined) {
    const files = symbols.map((pair) => ({ pair, ...readCsvCandles(dataDir, pair, timeframe, startMs, endMs) }));
    return {
      pairs: files.map(({ pair, candles }) => ({ pair, candles })),
      description: {
        source: "csv",
        ...range,
        pairs: files.map((f) => ({ ...summary(f.pair, f.candles), file: basename(f.path), sha256: f.sha256 })),
      },
    };
  }
  const pairs = symbols.map((pair) => ({ pair, candles: syntheticCandles(pair, timeframe, startMs, endMs, seed) }));
  return {
    pairs,
    description: {
      source: "synthetic",
      seed,
      generator: "geometric random walk; mulberry32 seeded with fnv1a32('<seed>|<pair>|<timeframe>')",
      annual_volatility: SYNTHETIC_ANNUAL_VOLATILITY,
      note: "Synthetic prices from a seeded random walk, NOT market data: results say nothing about real markets.",
      ...range,
      pairs: pairs.map(({ pair, candles }) => summary(pair, candles)),
    },
  };
}
