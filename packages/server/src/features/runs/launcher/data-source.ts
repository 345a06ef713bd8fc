/**
 * @module The data source a worker's result declares: its `data.source` (the reference worker
 * writes `synthetic` for generated candles, `csv` for candle files), as the run records it.
 */
import type { DataSource } from "@tradai/core";

/** Sources that mean real market candles; `synthetic` means generated ones; anything else is unknown. */
const MARKET_SOURCES = new Set(["csv", "market", "exchange"]);

/**
 * `synthetic`, `market`, or null when the result does not say (or says something unknown): a run
 * is never called a market result on a guess.
 * @example dataSourceOf({ data: { source: "synthetic" } }) // "synthetic"
 */
export function dataSourceOf(result: unknown): DataSource | null {
  if (typeof result !== "object" || result === null) return null;
  const data = (result as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return null;
  const source = (data as { source?: unknown }).source;
  if (source === "synthetic") return "synthetic";
  return typeof source === "string" && MARKET_SOURCES.has(source) ? "market" : null;
}
