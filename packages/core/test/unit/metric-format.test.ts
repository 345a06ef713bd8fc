/** Metrics as a trader reads them: percentages, money in the stake currency, counts, two decimals. */
import { describe, expect, it } from "vitest";
import { formatMetrics, formatMetricValue, metricKind } from "../../src/index.js";

describe("formatMetricValue", () => {
  it("shows fractions as percentages with two decimals", () => {
    expect(formatMetricValue("max_drawdown", 0.01634946786, "USDT")).toBe("1.63%");
    expect(formatMetricValue("total_return", -0.1234, "USDT")).toBe("-12.34%");
    expect(formatMetricValue("win_rate", 0.5, "USDT")).toBe("50.00%");
    expect(formatMetricValue("total_return", -0.00001, "USDT")).toBe("0.00%");
  });

  it("shows money in the stake currency, grouped, with two decimals", () => {
    expect(formatMetricValue("final_balance", 12016.2, "USDT")).toBe("12,016.20 USDT");
    expect(formatMetricValue("profit_total", -3.456, "EUR")).toBe("-3.46 EUR");
    expect(formatMetricValue("fees_abs", 1, "BTC")).toBe("1.00 BTC");
  });

  it("shows counts as integers and other numbers with two decimals", () => {
    expect(formatMetricValue("trade_count", 1234, "USDT")).toBe("1,234");
    expect(formatMetricValue("skipped_entries", 0, "USDT")).toBe("0");
    expect(formatMetricValue("sharpe", 1.23456, "USDT")).toBe("1.23");
    expect(formatMetricValue("sharpe", 0, "USDT")).toBe("0.00");
    expect(formatMetricValue("tiny", 0.00012345, "USDT")).toBe("0.00012");
  });

  it("leaves what is not a finite number as it is", () => {
    expect(formatMetricValue("note", "n/a", "USDT")).toBe("n/a");
    expect(formatMetricValue("pairs", ["BTC"], "USDT")).toBe('["BTC"]');
    expect(formatMetricValue("ratio", Number.NaN, "USDT")).toBe("NaN");
  });
});

describe("formatMetrics", () => {
  it("puts the known metrics first in reading order, with labels, then the others by name", () => {
    const rows = formatMetrics(
      { zeta: 2, trade_count: 3, total_return: 0.05, alpha_count: 7, final_balance: 1050 },
      "USDT",
    );
    expect(rows.map((r) => [r.label, r.text])).toEqual([
      ["Total return", "5.00%"],
      ["Final balance", "1,050.00 USDT"],
      ["Trades", "3"],
      ["Alpha count", "7"],
      ["Zeta", "2.00"],
    ]);
    expect(metricKind("annual_return")).toBe("percent");
  });
});
