/** @module What prices a run's numbers come from, as a badge: synthetic prices are flagged as not a market result. */
import type { DataSource } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const shown = {
  synthetic: { tone: "warning", text: "synthetic prices: not a market result" },
  market: { tone: "neutral", text: "market prices" },
} as const;

/** Nothing while the source is unknown (a queued run, a worker that does not say). */
export function DataSourceBadge({ source }: { source: DataSource | null }) {
  if (source === null) return null;
  const { tone, text } = shown[source];
  return (
    <Badge tone={tone} className="whitespace-nowrap" data-testid="run-data-source" data-source={source}>
      {text}
    </Badge>
  );
}
