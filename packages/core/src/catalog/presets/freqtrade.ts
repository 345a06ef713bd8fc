/**
 * @module The Freqtrade preset: the standard keys of a Freqtrade bot's configuration, with the
 * types, bounds and allowed values of Freqtrade's own configuration schema
 * (freqtrade/configuration/config_schema.py), and this platform's reload class and criticality.
 *
 * Every parameter applies to every strategy and has no default: the preset checks a value where a
 * config has one, and adds no key to anyone's resolved config (a strategy's values stay its own).
 * Nested Freqtrade settings (`order_types`, `unfilledtimeout`, ...) are catalogued by their dotted
 * paths, so `{"order_types": {"entry": "limit"}}` is checked key by key.
 *
 * Where Freqtrade's schema cannot be said in the catalog's terms, the preset is stricter, never
 * looser: `stoploss` < 0 becomes at most -0.0001 (bounds are inclusive); `stake_amount` is a
 * number, so Freqtrade's `"unlimited"` is refused (an amount an auditor can read); `timeframe` is
 * one of the candle sizes Freqtrade knows (its schema says only "string").
 */
import type { CatalogParameterInput } from "../parameter.js";

type Row = Omit<CatalogParameterInput, "name" | "type" | "description">;
const row = (
  name: string,
  type: CatalogParameterInput["type"],
  description: string,
  extra: Row = {},
): CatalogParameterInput => ({ name, type, description, ...extra });

const ORDER_TYPES = ["limit", "market"];
// Freqtrade accepts both cases (ORDERTIF_POSSIBILITIES).
const TIME_IN_FORCE = ["GTC", "FOK", "IOC", "PO", "gtc", "fok", "ioc", "po"];
/** Candle sizes (Freqtrade's timeframe minutes table, plus a month). */
export const FREQTRADE_TIMEFRAMES = [
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "3d",
  "1w",
  "1M",
];

const orderType = (side: string, what: string): CatalogParameterInput =>
  row(`order_types.${side}`, "enum", `Order type for ${what}`, {
    allowed: ORDER_TYPES,
    group: "orders",
    reload: "between_trades",
  });

export const FREQTRADE_PRESET: CatalogParameterInput[] = [
  // Risk: what a wrong value costs money on the next candle.
  row("stoploss", "number", "Stop loss as a ratio of the entry price (-0.10: exit 10% below entry)", {
    min: -1,
    max: -0.0001,
    unit: "ratio",
    group: "risk",
    criticality: "critical",
    reload: "hot",
  }),
  row(
    "minimal_roi",
    "number_map",
    'Minimal return on investment by trade age: minutes -> ratio, e.g. {"0": 0.04, "30": 0.02}',
    {
      min: -1,
      max: 100,
      unit: "ratio",
      group: "risk",
      reload: "hot",
    },
  ),
  row("trailing_stop", "bool", "Trail the stop loss behind the price", { group: "risk", reload: "hot" }),
  row("trailing_stop_positive", "number", "Trailing distance once the trade is in profit", {
    min: 0,
    max: 1,
    unit: "ratio",
    group: "risk",
    reload: "hot",
  }),
  row("trailing_stop_positive_offset", "number", "Profit at which trailing_stop_positive takes over", {
    min: 0,
    max: 1,
    unit: "ratio",
    group: "risk",
    reload: "hot",
  }),
  row("trailing_only_offset_is_reached", "bool", "Trail only once the offset is reached", {
    group: "risk",
    reload: "hot",
  }),
  row("max_open_trades", "int", "Most trades open at once (-1: no limit)", {
    min: -1,
    group: "position",
    criticality: "critical",
    reload: "between_trades",
  }),
  row("stake_amount", "number", "Quote currency committed per trade", {
    min: 0.0001,
    unit: "quote currency",
    group: "position",
    criticality: "critical",
    reload: "between_trades",
  }),
  row("stake_currency", "string", "Quote currency of the stake (e.g. USDT)", { group: "position" }),
  row("tradable_balance_ratio", "number", "Share of the balance the bot may trade", {
    min: 0,
    max: 1,
    unit: "ratio",
    group: "position",
    criticality: "critical",
    reload: "between_trades",
  }),
  row("available_capital", "number", "Capital the bot may use (several bots on one account)", {
    min: 0,
    unit: "quote currency",
    group: "position",
    criticality: "critical",
    reload: "between_trades",
  }),
  row("dry_run", "bool", "Simulate orders instead of placing them (false: real money)", {
    group: "mode",
    criticality: "critical",
  }),
  row("dry_run_wallet", "number", "Starting balance of a dry run", { min: 0, unit: "quote currency", group: "mode" }),
  row("trading_mode", "enum", "Spot, margin or futures trading", {
    allowed: ["spot", "margin", "futures"],
    group: "mode",
    criticality: "critical",
  }),
  row("margin_mode", "enum", "Cross or isolated margin", { allowed: ["cross", "isolated"], group: "mode" }),
  row("liquidation_buffer", "number", "Safety buffer between stop loss and liquidation price", {
    min: 0,
    max: 0.99,
    unit: "ratio",
    group: "risk",
  }),
  // Signals and exits.
  row("timeframe", "enum", "Candle size the strategy runs on", {
    allowed: FREQTRADE_TIMEFRAMES,
    group: "signal",
  }),
  row("process_only_new_candles", "bool", "Analyse only when a new candle closes", { group: "signal" }),
  row("use_exit_signal", "bool", "Exit on the strategy's exit signal", { group: "exit", reload: "hot" }),
  row("exit_profit_only", "bool", "Ignore exit signals below exit_profit_offset", { group: "exit", reload: "hot" }),
  row("exit_profit_offset", "number", "Profit an exit signal needs when exit_profit_only is on", {
    unit: "ratio",
    group: "exit",
    reload: "hot",
  }),
  row("ignore_roi_if_entry_signal", "bool", "Keep a trade open past its ROI while the entry signal holds", {
    group: "exit",
    reload: "hot",
  }),
  row("ignore_buying_expired_candle_after", "number", "Seconds after which an entry signal is stale", {
    min: 0,
    unit: "seconds",
    group: "signal",
  }),
  row("fee", "number", "Fee per side, for backtests (may model slippage)", {
    min: 0,
    max: 0.1,
    unit: "ratio",
    group: "execution",
  }),
  // Orders.
  orderType("entry", "entries"),
  orderType("exit", "exits"),
  orderType("stoploss", "stop-loss exits"),
  orderType("force_entry", "forced entries"),
  orderType("force_exit", "forced exits"),
  orderType("emergency_exit", "emergency exits"),
  row("order_types.stoploss_on_exchange", "bool", "Place the stop loss on the exchange", {
    group: "orders",
    criticality: "critical",
    reload: "between_trades",
  }),
  row("order_types.stoploss_on_exchange_interval", "number", "Seconds between updates of an exchange stop loss", {
    min: 0,
    unit: "seconds",
    group: "orders",
  }),
  row("order_types.stoploss_on_exchange_limit_ratio", "number", "Limit price of an exchange stop-limit, as a ratio", {
    min: 0,
    max: 1,
    unit: "ratio",
    group: "orders",
  }),
  row("order_time_in_force.entry", "enum", "Time in force of entry orders", {
    allowed: TIME_IN_FORCE,
    group: "orders",
  }),
  row("order_time_in_force.exit", "enum", "Time in force of exit orders", { allowed: TIME_IN_FORCE, group: "orders" }),
  row("unfilledtimeout.entry", "number", "Cancel an unfilled entry order after this long", {
    min: 1,
    group: "orders",
  }),
  row("unfilledtimeout.exit", "number", "Cancel an unfilled exit order after this long", { min: 1, group: "orders" }),
  row("unfilledtimeout.exit_timeout_count", "int", "Unfilled exit timeouts before an emergency exit (0: never)", {
    min: 0,
    group: "orders",
  }),
  row("unfilledtimeout.unit", "enum", "Unit of the unfilled timeouts", {
    allowed: ["minutes", "seconds"],
    group: "orders",
  }),
];

/** The catalog presets, by the name `TRADAI_CATALOG_PRESET` and `tradai catalog import --preset` use. */
export const CATALOG_PRESETS: Readonly<Record<string, readonly CatalogParameterInput[]>> = {
  freqtrade: FREQTRADE_PRESET,
};
