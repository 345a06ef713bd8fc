/** @module Latency summaries of the propagation benchmark: percentiles over every worker and activation. */
import { percentile, round } from "../lib/harness.js";

export interface Summary {
  samples: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

export function summarise(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50_ms: round(percentile(sorted, 50), 2),
    p95_ms: round(percentile(sorted, 95), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    max_ms: round(sorted.at(-1) ?? Number.NaN, 2),
  };
}

/** Median and maximum of per-event figures (e.g. the time until the last worker had each activation). */
export function spread(values: number[]): { median_ms: number; max_ms: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median_ms: round(percentile(sorted, 50), 2), max_ms: round(sorted.at(-1) ?? Number.NaN, 2) };
}

/** The largest value (NaN for none), without spreading a long list into arguments. */
export const maxOf = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((m, v) => (v > m ? v : m), Number.NEGATIVE_INFINITY);

/** CPU seconds per event (activation) of each group, from a cpuMeter reading over `events` events. */
export function perEvent(
  cpu: { seconds: number; percent_of_one_core: Record<string, number> },
  events: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(cpu.percent_of_one_core).map(([group, percent]) => [
      group,
      round((cpu.seconds * percent) / 100 / events, 3),
    ]),
  );
}
