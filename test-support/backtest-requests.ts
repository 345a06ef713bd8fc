/** @module Backtest request configs the tests share. */

/** The seed guide's step-4 request, without a config version. */
export const SEED_BACKTEST = {
  strategy: "StochRsiStrategy",
  symbols: ["BTC/USDT:USDT"],
  timeframe: "1h" as const,
  start_date: "2025-01-01",
  end_date: "2025-02-01",
  stake_amount: 1000,
  exchange: "binance_futures",
};

/** The same request for the fixture worker (task `fixture`, see fixture-worker.mjs). */
export const FIXTURE_BACKTEST = { ...SEED_BACKTEST, strategy: "FixtureStrategy", task_definition: "fixture" };
