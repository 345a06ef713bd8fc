/**
 * @module The trade simulation. Pairs run independently on one shared cash balance, candle time
 * by candle time (pairs in `symbols` order within a time), one open trade per pair.
 *
 * A signal at candle i's close fills at candle i+1's open. While a trade is open, a candle whose
 * low reaches `entry * (1 + stoploss)` closes it at that price (or at the open, if the candle
 * opened below it). A trade still open at a pair's last candle closes at that candle's close.
 * The fee is charged on each side: `amount = stake * (1 - fee) / open_rate`,
 * `proceeds = amount * close_rate * (1 - fee)`. An entry the cash cannot fund is skipped.
 */
import type { Candle, PairCandles } from "./candles/candle.js";
import type { Signals } from "./strategy.js";

export type ExitReason = "exit_signal" | "stop_loss" | "end_of_data";

export interface Trade {
  pair: string;
  open_time: number;
  close_time: number;
  open_rate: number;
  close_rate: number;
  amount: number;
  stake: number;
  profit_abs: number;
  profit_ratio: number;
  exit_reason: ExitReason;
}

/** Equity marked at a candle's close: cash plus open trades at that close (before exit fees). */
export interface EquityPoint {
  time: number;
  equity: number;
}

export interface BacktestSettings {
  stakeAmount: number;
  fee: number;
  stoploss: number;
  startingBalance: number;
  timeframeMs: number;
}

export interface BacktestOutcome {
  trades: Trade[];
  /** First point: the starting balance at the first candle's open; then one per candle close time. */
  equityCurve: EquityPoint[];
  skippedEntries: number;
}

interface PairState extends PairCandles {
  signals: Signals;
  next: number;
  lastClose: number;
  open: { time: number; rate: number; amount: number; stopRate: number } | undefined;
  pendingEntry: boolean;
  pendingExit: boolean;
}

/** Yields the number of candles processed after each candle time; returns the outcome. */
export function* runBacktest(
  pairs: readonly (PairCandles & { signals: Signals })[],
  settings: BacktestSettings,
): Generator<number, BacktestOutcome> {
  const { stakeAmount, fee, stoploss, timeframeMs } = settings;
  const states: PairState[] = pairs.map((p) => ({
    ...p,
    next: 0,
    lastClose: 0,
    open: undefined,
    pendingEntry: false,
    pendingExit: false,
  }));
  const times = [...new Set(pairs.flatMap((p) => p.candles.map((c) => c.time)))].sort((a, b) => a - b);
  let cash = settings.startingBalance;
  const trades: Trade[] = [];
  const equityCurve: EquityPoint[] = [{ time: times[0] ?? 0, equity: cash }];
  let skippedEntries = 0;
  let processed = 0;

  const close = (state: PairState, time: number, rate: number, reason: ExitReason) => {
    const trade = state.open;
    if (!trade) return;
    const proceeds = trade.amount * rate * (1 - fee);
    cash += proceeds;
    const profit = proceeds - stakeAmount;
    trades.push({
      pair: state.pair,
      open_time: trade.time,
      close_time: time,
      open_rate: trade.rate,
      close_rate: rate,
      amount: trade.amount,
      stake: stakeAmount,
      profit_abs: profit,
      profit_ratio: profit / stakeAmount,
      exit_reason: reason,
    });
    state.open = undefined;
  };

  const step = (state: PairState, candle: Candle, index: number) => {
    if (state.pendingExit) close(state, candle.time, candle.open, "exit_signal");
    if (state.pendingEntry && !state.open) {
      if (cash >= stakeAmount) {
        cash -= stakeAmount;
        const amount = (stakeAmount * (1 - fee)) / candle.open;
        state.open = { time: candle.time, rate: candle.open, amount, stopRate: candle.open * (1 + stoploss) };
      } else skippedEntries++;
    }
    state.pendingEntry = state.pendingExit = false;
    const stopRate = state.open?.stopRate;
    if (stopRate !== undefined && candle.low <= stopRate) {
      close(state, candle.time, Math.min(stopRate, candle.open), "stop_loss");
    }
    state.lastClose = candle.close;
    if (index === state.candles.length - 1) {
      close(state, candle.time + timeframeMs, candle.close, "end_of_data");
      return;
    }
    if (!state.open && state.signals.enter[index]) state.pendingEntry = true;
    if (state.open && state.signals.exit[index]) state.pendingExit = true;
  };

  for (const time of times) {
    for (const state of states) {
      const candle = state.candles[state.next];
      if (candle?.time !== time) continue; // this pair has no candle at this time (a gap in its data)
      step(state, candle, state.next++);
      processed++;
    }
    const openValue = states.reduce((sum, s) => sum + (s.open ? s.open.amount * s.lastClose : 0), 0);
    equityCurve.push({ time: time + timeframeMs, equity: cash + openValue });
    yield processed;
  }
  return { trades, equityCurve, skippedEntries };
}
