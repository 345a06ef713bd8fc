import { describe, expect, it } from "vitest";
import { EXIT_BAD_PARAMETERS, ParameterError } from "../../src/errors.js";
import { resolveParameters, STRATEGY_DEFAULTS } from "../../src/parameters.js";

const base = {
  symbols: ["BTC/USDT:USDT"],
  timeframe: "1h",
  start_date: "2024-01-01",
  end_date: "2024-02-01",
  stake_amount: 150,
  exchange: "binance",
};

function refusal(values: Record<string, unknown>): ParameterError {
  try {
    resolveParameters(values);
  } catch (error) {
    if (error instanceof ParameterError) return error;
    throw error;
  }
  throw new Error("expected a ParameterError");
}

describe("resolveParameters", () => {
  it("fills absent strategy parameters with the strategy's defaults and says so", () => {
    const { effective, defaulted, ignored } = resolveParameters({ ...base, stoploss: -0.02, minimal_roi: { 0: 0.1 } });
    expect(effective).toMatchObject({ ...STRATEGY_DEFAULTS, ...base, stoploss: -0.02, stake_currency: "USDT" });
    expect(defaulted).toContain("rsi_period");
    expect(defaulted).toContain("stake_currency");
    expect(defaulted).not.toContain("stoploss");
    expect(ignored).toEqual(["minimal_roi"]);
  });

  it.each([
    [{ stoploss: 0.02 }, "stoploss"],
    [{ stoploss: "-0.02" }, "stoploss"],
    [{ rsi_period: 1.5 }, "rsi_period"],
    [{ smooth_d: 0 }, "smooth_d"],
    [{ oversold: 90 }, "oversold"],
    [{ overbought: 101 }, "overbought"],
    [{ stake_amount: -1 }, "stake_amount"],
    [{ stake_amount: 20_000 }, "stake_amount"],
    [{ timeframe: "7m" }, "timeframe"],
    [{ symbols: [] }, "symbols"],
    [{ symbols: ["BTCUSDT"] }, "symbols[0]"],
    [{ symbols: ["BTC/USDT", "ETH/BTC"] }, "symbols"],
    [{ start_date: "2024-02-30" }, "start_date"],
    [{ end_date: "2024-01-01" }, "end_date"],
    [{ timeframe: "1m", end_date: "2026-01-01" }, "end_date"],
    [{ exchange: undefined }, "exchange"],
  ])("refuses %j naming %s", (change, parameter) => {
    const error = refusal({ ...base, ...change });
    expect(error.parameter).toBe(parameter);
    expect(error.message).toContain(parameter);
    expect(error.exitCode).toBe(EXIT_BAD_PARAMETERS);
  });
});
