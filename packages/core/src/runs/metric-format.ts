/**
 * @module A run's metrics as a trader reads them: fractions as percentages, money in the stake
 * currency, counts as integers, other numbers with two decimals; known metrics first, in reading
 * order, with a label each (the raw key stays alongside for whoever reads the result JSON).
 */

/** How a metric's number is meant: a fraction (0.05 = 5%), an amount of money, a count, or a plain number. */
export type MetricKind = "percent" | "money" | "count" | "number";

export interface FormattedMetric {
  key: string;
  label: string;
  kind: MetricKind;
  text: string;
}

/** The reference worker's metrics (see reference-worker/src/metrics.ts), in the order a report shows them. */
const KNOWN: Record<string, { label: string; kind: MetricKind }> = {
  total_return: { label: "Total return", kind: "percent" },
  profit_total: { label: "Profit", kind: "money" },
  starting_balance: { label: "Starting balance", kind: "money" },
  final_balance: { label: "Final balance", kind: "money" },
  max_drawdown: { label: "Max drawdown", kind: "percent" },
  sharpe: { label: "Sharpe ratio (annualised)", kind: "number" },
  win_rate: { label: "Win rate", kind: "percent" },
  trade_count: { label: "Trades", kind: "count" },
  skipped_entries: { label: "Skipped entries (no cash)", kind: "count" },
  stake_amount: { label: "Stake per trade", kind: "money" },
};
const ORDER = Object.keys(KNOWN);

/** What other workers' metric names usually mean, by their ending. */
const BY_NAME: [RegExp, MetricKind][] = [
  [/(^|_)(return|drawdown|win_rate|winrate|loss_rate|cagr)$/, "percent"],
  [/(^|_)(balance|abs|pnl|stake_amount|equity)$/, "money"],
  [/(^|_)(count|entries|trades|exits)$/, "count"],
];

export function metricKind(key: string): MetricKind {
  const known = KNOWN[key];
  if (known) return known.kind;
  return BY_NAME.find(([pattern]) => pattern.test(key))?.[1] ?? "number";
}

const labelOf = (key: string) => {
  const words = key.replaceAll("_", " ");
  return KNOWN[key]?.label ?? words.charAt(0).toUpperCase() + words.slice(1);
};

const grouped = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return (Object.is(rounded, -0) ? 0 : rounded).toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
};

/**
 * One metric's value as text.
 * @example formatMetricValue("max_drawdown", 0.01634946786, "USDT") // "1.63%"
 * @example formatMetricValue("final_balance", 1016.2, "USDT") // "1,016.20 USDT"
 */
export function formatMetricValue(key: string, value: unknown, currency: string): string {
  if (typeof value !== "number") return typeof value === "string" ? value : JSON.stringify(value ?? null);
  if (!Number.isFinite(value)) return String(value);
  switch (metricKind(key)) {
    case "percent":
      return `${grouped(value * 100, 2)}%`;
    case "money":
      return `${grouped(value, 2)} ${currency}`;
    case "count":
      return Number.isInteger(value) ? grouped(value, 0) : grouped(value, 2);
    default:
      // Two decimals, except where they would show a small non-zero number as 0.00.
      return value !== 0 && Math.abs(value) < 0.005 ? String(Number(value.toPrecision(2))) : grouped(value, 2);
  }
}

/** Every metric formatted: the known ones in reading order, then the others by name. */
export function formatMetrics(metrics: Record<string, unknown>, currency: string): FormattedMetric[] {
  const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);
  return Object.keys(metrics)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => ({
      key,
      label: labelOf(key),
      kind: metricKind(key),
      text: formatMetricValue(key, metrics[key], currency),
    }));
}
