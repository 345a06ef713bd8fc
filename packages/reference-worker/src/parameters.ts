/**
 * @module The effective parameters of a run, read only from `parameter_set.values`. Strategy
 * parameters the set leaves out take the strategy's defaults below; the result lists which ones
 * did, and which values the worker ignored, so nothing is assumed silently.
 */
import { isTimeframe, TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from "@tradai/core";
import { ParameterError } from "./errors.js";
import { type NumberRule, readDate, readNumber, readString, readStringList, type Values } from "./value-readers.js";

/** StochRsiStrategy's own defaults. Stochastic values are on a 0..100 scale. */
export const STRATEGY_DEFAULTS = {
  stoploss: -0.05,
  rsi_period: 14,
  stoch_period: 14,
  smooth_k: 3,
  smooth_d: 3,
  oversold: 20,
  overbought: 80,
  fee: 0.001,
  starting_balance: 10_000,
  data_seed: 42,
} as const;

export type StrategyParameters = { -readonly [K in keyof typeof STRATEGY_DEFAULTS]: number };

const STRATEGY_RULES: Record<keyof StrategyParameters, NumberRule> = {
  stoploss: { gt: -1, lt: 0 },
  rsi_period: { integer: true, min: 2, max: 1000 },
  stoch_period: { integer: true, min: 1, max: 1000 },
  smooth_k: { integer: true, min: 1, max: 1000 },
  smooth_d: { integer: true, min: 1, max: 1000 },
  oversold: { min: 0, max: 100 },
  overbought: { min: 0, max: 100 },
  fee: { min: 0, lt: 0.1 },
  starting_balance: { gt: 0, max: 1e15 },
  data_seed: { integer: true, min: 0 },
};

export interface EffectiveParameters extends StrategyParameters {
  symbols: string[];
  timeframe: Timeframe;
  /** Inclusive, 00:00 UTC. */
  start_date: string;
  /** Exclusive: the last candle opens before 00:00 UTC of this day. */
  end_date: string;
  stake_amount: number;
  stake_currency: string;
  exchange: string;
}

export interface ResolvedParameters {
  effective: EffectiveParameters;
  startMs: number;
  endMs: number;
  /** Strategy parameters taken from STRATEGY_DEFAULTS, and stake_currency when derived. */
  defaulted: string[];
  /** Keys of `values` this worker does not use (e.g. minimal_roi, task_definition). */
  ignored: string[];
}

/** One million candles per pair keeps the result file and memory reasonable. */
export const MAX_CANDLES_PER_PAIR = 1_000_000;
const PAIR = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$/;
const SETTINGS = ["symbols", "timeframe", "start_date", "end_date", "stake_amount", "stake_currency", "exchange"];

/** "BTC/USDT:USDT" settles in USDT; "ETH/BTC" in BTC. */
function settlementCurrency(pair: string): string {
  const [, quote = "", settle] = pair.split(/[/:]/);
  return settle ?? quote;
}

function readStakeCurrency(values: Values, symbols: string[], defaulted: string[]): string {
  const given = values.stake_currency === undefined ? undefined : readString(values, "stake_currency");
  const currency = given ?? settlementCurrency(symbols[0] ?? "");
  if (given === undefined) defaulted.push("stake_currency");
  const other = symbols.find((pair) => settlementCurrency(pair) !== currency);
  if (other !== undefined) throw new ParameterError("symbols", `${other} does not settle in ${currency}`);
  return currency;
}

export function resolveParameters(values: Values): ResolvedParameters {
  const symbols = readStringList(values, "symbols", PAIR, "a pair like BTC/USDT or BTC/USDT:USDT");
  const timeframe = values.timeframe;
  if (!isTimeframe(timeframe)) {
    throw new ParameterError("timeframe", `must be one of ${TIMEFRAMES.join(", ")} (got ${JSON.stringify(timeframe)})`);
  }
  const startMs = readDate(values, "start_date");
  const endMs = readDate(values, "end_date");
  if (endMs <= startMs) throw new ParameterError("end_date", "must be after start_date (end_date is exclusive)");
  const candles = Math.ceil((endMs - startMs) / TIMEFRAME_MS[timeframe]);
  if (candles > MAX_CANDLES_PER_PAIR) {
    throw new ParameterError(
      "end_date",
      `the range has ${candles} ${timeframe} candles, more than ${MAX_CANDLES_PER_PAIR}`,
    );
  }
  const defaulted: string[] = [];
  const strategy = {} as StrategyParameters;
  for (const name of Object.keys(STRATEGY_DEFAULTS) as (keyof StrategyParameters)[]) {
    if (values[name] === undefined) defaulted.push(name);
    strategy[name] =
      values[name] === undefined ? STRATEGY_DEFAULTS[name] : readNumber(values, name, STRATEGY_RULES[name]);
  }
  if (strategy.oversold >= strategy.overbought) throw new ParameterError("oversold", "must be below overbought");
  const stakeAmount = readNumber(values, "stake_amount", { gt: 0 });
  if (stakeAmount > strategy.starting_balance) {
    throw new ParameterError("stake_amount", `${stakeAmount} exceeds starting_balance ${strategy.starting_balance}`);
  }
  const effective: EffectiveParameters = {
    symbols,
    timeframe,
    start_date: values.start_date as string,
    end_date: values.end_date as string,
    stake_amount: stakeAmount,
    stake_currency: readStakeCurrency(values, symbols, defaulted),
    exchange: readString(values, "exchange"),
    ...strategy,
  };
  const known = new Set([...SETTINGS, ...Object.keys(STRATEGY_DEFAULTS)]);
  const ignored = Object.keys(values)
    .filter((key) => !known.has(key))
    .sort();
  return { effective, startMs, endMs, defaulted: defaulted.sort(), ignored };
}
