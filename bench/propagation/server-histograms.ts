/**
 * @module The server's own timings of a change, read from the replicas' /metrics (issue 20, item 0):
 * tradai_config_notify_lag_seconds (commit to the replica handing the change out) and
 * tradai_stream_fanout_seconds (hand-out to its last live stream writing the frame). A reading
 * before the measured activations and one after give the histograms of those activations alone.
 */
import { round } from "../lib/harness.js";

export const SERVER_HISTOGRAMS = ["tradai_config_notify_lag_seconds", "tradai_stream_fanout_seconds"] as const;
type Name = (typeof SERVER_HISTOGRAMS)[number];

/** Cumulative bucket counts by upper bound (s), with the sum and count, summed over the replicas. */
interface Histogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}
export type HistogramReading = Record<Name, Histogram>;

export async function readServerHistograms(urls: readonly string[]): Promise<HistogramReading> {
  const reading = Object.fromEntries(
    SERVER_HISTOGRAMS.map((name) => [name, { buckets: new Map(), sum: 0, count: 0 }]),
  ) as HistogramReading;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const name of SERVER_HISTOGRAMS) {
      const h = reading[name];
      for (const line of text.split("\n")) {
        const bucket = line.match(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`));
        if (bucket) {
          const le = bucket[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(bucket[1]);
          h.buckets.set(le, (h.buckets.get(le) ?? 0) + Number(bucket[2]));
        } else if (line.startsWith(`${name}_sum `)) h.sum += Number(line.split(" ")[1]);
        else if (line.startsWith(`${name}_count `)) h.count += Number(line.split(" ")[1]);
      }
    }
  }
  return reading;
}

export interface ServerTiming {
  /** Observations: one per change and replica. */
  samples: number;
  mean_ms: number;
  /** The upper bound of the bucket holding the 50th and 99th percentile observation (a histogram gives no more). */
  p50_at_most_ms: number;
  p99_at_most_ms: number;
}

/** What happened between two readings, per histogram. */
export function serverTimings(before: HistogramReading, after: HistogramReading): Record<Name, ServerTiming> {
  const out = {} as Record<Name, ServerTiming>;
  for (const name of SERVER_HISTOGRAMS) {
    const [a, b] = [before[name], after[name]];
    const count = b.count - a.count;
    const bounds = [...b.buckets.keys()].sort((x, y) => x - y);
    const within = (q: number) => {
      const rank = Math.ceil(count * q);
      const le = bounds.find((bound) => (b.buckets.get(bound) ?? 0) - (a.buckets.get(bound) ?? 0) >= rank);
      return le === undefined ? Number.NaN : round(le * 1000, 2);
    };
    out[name] = {
      samples: count,
      mean_ms: count > 0 ? round(((b.sum - a.sum) / count) * 1000, 2) : Number.NaN,
      p50_at_most_ms: count > 0 ? within(0.5) : Number.NaN,
      p99_at_most_ms: count > 0 ? within(0.99) : Number.NaN,
    };
  }
  return out;
}

export interface Statements {
  read: number;
  write: number;
}

/** tradai_database_statements_total by kind, summed over the replicas' /metrics (one scrape each). */
export async function readStatements(urls: readonly string[]): Promise<Statements> {
  const total = { read: 0, write: 0 };
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const kind of ["read", "write"] as const) {
      const line = text.split("\n").find((l) => l.startsWith(`tradai_database_statements_total{kind="${kind}"} `));
      total[kind] += line ? Number(line.split(" ")[1]) : 0;
    }
  }
  return total;
}

export const statementsBetween = (after: Statements, before: Statements): Statements => ({
  read: after.read - before.read,
  write: after.write - before.write,
});
