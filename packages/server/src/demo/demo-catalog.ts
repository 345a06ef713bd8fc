/**
 * @module The demo catalog: StochRsiStrategy's parameters (those the reference worker reads) and
 * a trading pipeline's ~60 parameters across feature engineering, inference, filters, execution
 * and risk, with two coherence rules. Realistic bounds; a few critical, a few hot-reloadable, two
 * position-sizing ones that change only between trades, one deprecated with its replacement.
 */
import type { CatalogParameterInput, CatalogRule } from "@tradai/core";

const STOCH = ["StochRsiStrategy"];
const PIPELINE = ["TradingPipeline"];

type Row = [
  name: string,
  type: CatalogParameterInput["type"],
  description: string,
  extra?: Partial<CatalogParameterInput>,
];

const stochRsi: Row[] = [
  [
    "timeframe",
    "enum",
    "Candle timeframe",
    { allowed: ["5m", "15m", "1h", "4h", "1d"], default: "1h", group: "data", reload: "restart" },
  ],
  [
    "stoploss",
    "number",
    "Stop loss, as a negative fraction of the entry price",
    { min: -0.5, max: -0.001, default: -0.05, unit: "fraction", group: "risk", criticality: "critical" },
  ],
  [
    "stake_amount",
    "number",
    "Quote currency committed per trade",
    // Position sizing: a running worker takes a new stake only when it holds no open trade.
    {
      min: 1,
      max: 100000,
      default: 100,
      unit: "USDT",
      group: "risk",
      criticality: "critical",
      reload: "between_trades",
    },
  ],
  [
    "rsi_period",
    "int",
    "RSI look-back",
    { min: 2, max: 100, default: 14, unit: "candles", group: "signal", variants: [7, 14, 21] },
  ],
  [
    "stoch_period",
    "int",
    "Stochastic look-back over the RSI",
    { min: 2, max: 100, default: 14, unit: "candles", group: "signal", variants: [10, 14] },
  ],
  ["smooth_k", "int", "Smoothing of %K", { min: 1, max: 10, default: 3, group: "signal" }],
  ["smooth_d", "int", "Smoothing of %D", { min: 1, max: 10, default: 3, group: "signal" }],
  [
    "oversold",
    "number",
    "Entry zone: %K crossing up below this level",
    { min: 0, max: 50, default: 20, group: "signal", reload: "hot", variants: [15, 20, 25] },
  ],
  [
    "overbought",
    "number",
    "Exit zone: %K crossing down above this level",
    { min: 50, max: 100, default: 80, group: "signal", reload: "hot", variants: [75, 80, 85] },
  ],
  ["fee", "number", "Fee per side", { min: 0, max: 0.01, default: 0.001, unit: "fraction", group: "execution" }],
  [
    "data_seed",
    "int",
    "Seed of the synthetic candles (backtests without market data)",
    { min: 0, max: 2147483647, default: 42, group: "data" },
  ],
];

const groups: Record<string, Row[]> = {
  features: [
    [
      "features.rsi_window",
      "int",
      "RSI window of the feature set",
      { min: 2, max: 200, default: 14, unit: "candles", variants: [14, 28] },
    ],
    ["features.ema_fast", "int", "Fast EMA span", { min: 2, max: 100, default: 12, unit: "candles" }],
    ["features.ema_slow", "int", "Slow EMA span", { min: 5, max: 400, default: 26, unit: "candles" }],
    ["features.atr_window", "int", "ATR window", { min: 2, max: 100, default: 14, unit: "candles" }],
    [
      "features.volatility_window",
      "int",
      "Rolling volatility window",
      { min: 5, max: 500, default: 48, unit: "candles" },
    ],
    ["features.lags", "list", "Lagged returns used as features", { default: [1, 2, 4, 8] }],
    [
      "features.normalisation",
      "enum",
      "Feature scaling",
      { allowed: ["zscore", "minmax", "robust", "none"], default: "zscore" },
    ],
    ["features.lookback", "duration", "History loaded for feature computation", { default: "30d" }],
    ["features.volume_profile", "bool", "Include volume-profile features", { default: false }],
    ["features.orderbook_depth", "int", "Order-book levels per side", { min: 0, max: 50, default: 10, unit: "levels" }],
    ["features.funding_rate", "bool", "Include the perpetual funding rate", { default: true }],
    [
      "features.drop_na_fraction",
      "number",
      "Drop a feature when more than this share is missing",
      { min: 0, max: 1, default: 0.05, unit: "fraction" },
    ],
  ],
  inference: [
    ["inference.model", "string", "Registered model name", { default: "lgbm-direction" }],
    ["inference.model_version", "string", "Model version (registry)", { default: "12", criticality: "critical" }],
    [
      "inference.threshold",
      "number",
      "Probability above which a long signal is emitted",
      {
        min: 0.5,
        max: 0.99,
        step: 0.01,
        default: 0.6,
        reload: "hot",
        criticality: "critical",
        variants: [0.55, 0.6, 0.65],
      },
    ],
    [
      "inference.short_threshold",
      "number",
      "Probability above which a short signal is emitted",
      { min: 0.5, max: 0.99, step: 0.01, default: 0.65, reload: "hot" },
    ],
    ["inference.batch_size", "int", "Rows per inference batch", { min: 1, max: 4096, default: 256 }],
    ["inference.timeout", "duration", "Inference deadline per cycle", { default: "2s" }],
    ["inference.ensemble", "bool", "Average the last three model versions", { default: false }],
    [
      "inference.calibration",
      "enum",
      "Probability calibration",
      { allowed: ["none", "platt", "isotonic"], default: "isotonic" },
    ],
    ["inference.horizon", "duration", "Prediction horizon", { default: "4h" }],
    [
      "inference.min_confidence_samples",
      "int",
      "Minimum samples before a signal is trusted",
      { min: 0, max: 10000, default: 200 },
    ],
    ["inference.feature_set", "string", "Feature set version the model expects", { default: "fs-2026-10" }],
    [
      "inference.prob_threshold",
      "number",
      "Old name of the long-signal threshold",
      {
        min: 0.5,
        max: 0.99,
        default: 0.6,
        deprecated: true,
        replacement: "inference.threshold",
        reason: "was silently overridden by a code default (incident #673)",
      },
    ],
  ],
  filters: [
    [
      "filters.min_volume_24h",
      "number",
      "Minimum 24h quote volume of a tradable pair",
      { min: 0, max: 1e12, default: 5e6, unit: "USDT" },
    ],
    [
      "filters.max_spread",
      "number",
      "Maximum bid-ask spread",
      { min: 0, max: 0.05, default: 0.002, unit: "fraction", reload: "hot" },
    ],
    ["filters.blacklist", "list", "Pairs never traded", { default: ["LUNA/USDT", "UST/USDT"], reload: "hot" }],
    ["filters.whitelist", "list", "Pairs traded (empty: all that pass the filters)", { default: [] }],
    ["filters.min_price", "number", "Minimum price", { min: 0, max: 1000, default: 0.0001, unit: "USDT" }],
    [
      "filters.max_volatility",
      "number",
      "Maximum daily volatility",
      { min: 0, max: 5, default: 0.3, unit: "fraction" },
    ],
    ["filters.min_listing_age", "duration", "Minimum time since listing", { default: "30d" }],
    [
      "filters.news_blackout",
      "bool",
      "Pause new entries around scheduled macro news",
      { default: true, reload: "hot" },
    ],
    ["filters.max_pairs", "int", "Pairs traded at most", { min: 1, max: 200, default: 20 }],
    [
      "filters.regime",
      "enum",
      "Market regimes in which the pipeline trades",
      { allowed: ["any", "trending", "ranging"], default: "any", reload: "hot" },
    ],
    [
      "filters.correlation_cap",
      "number",
      "Maximum correlation between two open positions",
      { min: 0, max: 1, default: 0.8 },
    ],
    ["filters.exchange_status_check", "bool", "Skip pairs the exchange flags as under maintenance", { default: true }],
  ],
  execution: [
    [
      "execution.exchange",
      "enum",
      "Exchange",
      {
        allowed: ["binance_futures", "binance_spot", "bybit", "okx"],
        default: "binance_futures",
        criticality: "critical",
        immutable: true,
      },
    ],
    [
      "execution.order_type",
      "enum",
      "Entry order type",
      { allowed: ["limit", "market", "post_only"], default: "limit" },
    ],
    [
      "execution.limit_offset",
      "number",
      "Limit price offset from the mid",
      { min: 0, max: 0.01, default: 0.0005, unit: "fraction", reload: "hot" },
    ],
    ["execution.order_timeout", "duration", "Cancel an unfilled order after", { default: "90s", reload: "hot" }],
    [
      "execution.max_slippage",
      "number",
      "Maximum accepted slippage",
      { min: 0, max: 0.05, default: 0.003, unit: "fraction", criticality: "critical" },
    ],
    ["execution.retry_attempts", "int", "Retries of a failed order", { min: 0, max: 10, default: 3 }],
    [
      "execution.leverage",
      "number",
      "Leverage",
      { min: 1, max: 20, default: 2, criticality: "critical", variants: [1, 2, 3] },
    ],
    ["execution.margin_mode", "enum", "Margin mode", { allowed: ["isolated", "cross"], default: "isolated" }],
    [
      "execution.api_key",
      "secret_ref",
      "Exchange API key (a reference, resolved by the worker)",
      { default: "vault://trading/binance/api-key" },
    ],
    ["execution.dry_run", "bool", "Simulate orders without sending them", { default: true }],
    ["execution.decision_interval", "duration", "Time between decision cycles", { default: "1m" }],
    [
      "execution.partial_fill_min",
      "number",
      "Smallest partial fill kept",
      { min: 0, max: 1, default: 0.2, unit: "fraction" },
    ],
  ],
  risk: [
    [
      "risk.max_total_exposure",
      "number",
      "Total exposure as a share of equity",
      { min: 0, max: 3, default: 1, unit: "fraction", criticality: "critical" },
    ],
    [
      "risk.max_position_fraction",
      "number",
      "One position as a share of equity",
      { min: 0, max: 1, default: 0.1, unit: "fraction", criticality: "critical" },
    ],
    [
      "risk.stoploss",
      "number",
      "Stop loss per position",
      { min: -0.5, max: -0.001, default: -0.04, unit: "fraction", criticality: "critical" },
    ],
    ["risk.take_profit", "number", "Take profit per position", { min: 0.001, max: 2, default: 0.06, unit: "fraction" }],
    ["risk.trailing_stop", "bool", "Trail the stop behind the best price", { default: false, reload: "hot" }],
    [
      "risk.daily_loss_limit",
      "number",
      "Stop trading for the day after losing this share of equity",
      { min: 0, max: 0.5, default: 0.05, unit: "fraction", criticality: "critical" },
    ],
    ["risk.max_open_trades", "int", "Open trades at most", { min: 1, max: 100, default: 8, reload: "between_trades" }],
    ["risk.cooldown", "duration", "Pause after a stop-loss on a pair", { default: "2h", reload: "hot" }],
    [
      "risk.kill_switch",
      "bool",
      "Close everything and stop (operator switch)",
      { default: false, reload: "hot", criticality: "critical" },
    ],
    [
      "risk.max_drawdown",
      "number",
      "Halt when drawdown from the equity peak exceeds this",
      { min: 0, max: 1, default: 0.2, unit: "fraction", criticality: "critical" },
    ],
    [
      "risk.position_sizing",
      "enum",
      "Position sizing method",
      { allowed: ["fixed", "volatility", "kelly_fraction"], default: "volatility" },
    ],
    [
      "risk.settlement_currency",
      "string",
      "Settlement currency (fixed once live)",
      { default: "USDT", immutable: true },
    ],
  ],
};

export const DEMO_RULES: CatalogRule[] = [
  {
    name: "oversold_below_overbought",
    expression: "oversold < overbought",
    message: "the oversold level must lie below the overbought level",
    strategies: STOCH,
  },
  {
    name: "position_within_exposure",
    expression: "risk.max_position_fraction <= risk.max_total_exposure",
    message: "one position cannot exceed the total exposure cap",
    strategies: PIPELINE,
  },
];

const toInput =
  (strategies: string[], group: string | undefined) =>
  ([name, type, description, extra]: Row): CatalogParameterInput => ({
    name,
    type,
    description,
    strategies,
    ...(group ? { group } : {}),
    ...extra,
  });

export const DEMO_PARAMETERS: CatalogParameterInput[] = [
  ...stochRsi.map(toInput(STOCH, undefined)),
  ...Object.entries(groups).flatMap(([group, rows]) => rows.map(toInput(PIPELINE, group))),
];
