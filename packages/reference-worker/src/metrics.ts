/**
 * @module Run metrics, from the equity curve and the closed trades.
 *
 * - `starting_balance`, `final_balance`: cash before and after the run (every trade is closed at
 *   the end, so the final balance is the last equity point).
 * - `profit_total = final_balance - starting_balance` (stake currency);
 *   `total_return = final_balance / starting_balance - 1` (fraction, 0.05 = +5%).
 * - `max_drawdown`: the largest fall from a running peak of equity, as a positive fraction of that
 *   peak: `max over t of (peak_t - equity_t) / peak_t`; 0 when equity never falls.
 * - `sharpe`: `mean(r) / stdev(r) * sqrt(candles per year)`, where r are the simple returns
 *   between consecutive equity points (one per candle), stdev is the sample standard deviation
 *   (n - 1), a year is 365 days (crypto trades every day) and the risk-free rate is 0.
 *   0 when there are fewer than two returns or they do not vary.
 * - `win_rate`: trades with `profit_abs > 0` / `trade_count`; 0 when there are no trades.
 * - `trade_count`: closed trades; `skipped_entries`: entry signals the cash could not fund.
 */
import type { EquityPoint, Trade } from "./backtest.js";

export interface Metrics {
  total_return: number;
  max_drawdown: number;
  sharpe: number;
  win_rate: number;
  trade_count: number;
  profit_total: number;
  starting_balance: number;
  final_balance: number;
  skipped_entries: number;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export function maxDrawdown(equity: readonly number[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const value of equity) {
    peak = Math.max(peak, value);
    if (peak > 0) worst = Math.max(worst, (peak - value) / peak);
  }
  return worst;
}

export function annualisedSharpe(equity: readonly number[], timeframeMs: number): number {
  const returns: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1] ?? Number.NaN;
    returns.push((equity[i] ?? Number.NaN) / previous - 1);
  }
  if (returns.length < 2) return 0;
  const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length;
  const variance = returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (returns.length - 1);
  const stdev = Math.sqrt(variance);
  // Float noise on a flat curve must not turn into a huge Sharpe ratio.
  if (!(stdev > 1e-15)) return 0;
  return (mean / stdev) * Math.sqrt(YEAR_MS / timeframeMs);
}

export function computeMetrics(
  equityCurve: readonly EquityPoint[],
  trades: readonly Pick<Trade, "profit_abs">[],
  startingBalance: number,
  timeframeMs: number,
  skippedEntries: number,
): Metrics {
  const equity = equityCurve.map((point) => point.equity);
  const finalBalance = equity[equity.length - 1] ?? startingBalance;
  const wins = trades.filter((trade) => trade.profit_abs > 0).length;
  return {
    total_return: finalBalance / startingBalance - 1,
    max_drawdown: maxDrawdown(equity),
    sharpe: annualisedSharpe(equity, timeframeMs),
    win_rate: trades.length === 0 ? 0 : wins / trades.length,
    trade_count: trades.length,
    profit_total: finalBalance - startingBalance,
    starting_balance: startingBalance,
    final_balance: finalBalance,
    skipped_entries: skippedEntries,
  };
}
