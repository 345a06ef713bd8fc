/**
 * @module The server's own timings of a change, read from the replicas' /metrics (issue 20, item 0):
 * tradai_config_notify_lag_seconds (commit to the replica handing the change out) and
 * tradai_stream_fanout_seconds (hand-out to its last live stream writing the frame); and its time
 * over the workers' heartbeats. A reading before the measured activations and one after give the
 * histograms of those activations alone.
 */
import { round } from "../lib/harness.js";

const HEARTBEAT_ROUTE = "/api/v1/workers/:worker_id/heartbeat";

/**
 * The histograms read, each a metric and the labels its series must have (`not`: must not have):
 * besides the two timings of a change, how long the replica took over the workers' heartbeats it
 * answered 204, and those it answered otherwise (a heartbeat failure seen by the server).
 */
const SERIES = {
  tradai_config_notify_lag_seconds: { metric: "tradai_config_notify_lag_seconds" },
  tradai_stream_fanout_seconds: { metric: "tradai_stream_fanout_seconds" },
  heartbeats_answered: {
    metric: "tradai_http_request_duration_seconds",
    labels: { route: HEARTBEAT_ROUTE, status_code: "204" },
  },
  heartbeats_refused: {
    metric: "tradai_http_request_duration_seconds",
    labels: { route: HEARTBEAT_ROUTE },
    not: { status_code: "204" },
  },
} as const satisfies Record<string, { metric: string; labels?: Record<string, string>; not?: Record<string, string> }>;
export const SERVER_HISTOGRAMS = Object.keys(SERIES) as (keyof typeof SERIES)[];
type Name = keyof typeof SERIES;

/** Cumulative bucket counts by upper bound (s), with the sum and count, summed over the replicas and matching series. */
interface Histogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}
export type HistogramReading = Record<Name, Histogram>;

const LINE = /^(\w+?)(_bucket|_sum|_count)(?:\{(.*)\})? (\S+)$/;
const labelsOf = (text: string | undefined) =>
  new Map([...(text ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]));

export async function readServerHistograms(urls: readonly string[]): Promise<HistogramReading> {
  const reading = Object.fromEntries(
    SERVER_HISTOGRAMS.map((name) => [name, { buckets: new Map(), sum: 0, count: 0 }]),
  ) as HistogramReading;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split("\n")) {
      const m = LINE.exec(line);
      if (!m) continue;
      const [, metric, part, labelText, value] = m;
      const labels = labelsOf(labelText);
      for (const name of SERVER_HISTOGRAMS) {
        const spec: { metric: string; labels?: Record<string, string>; not?: Record<string, string> } = SERIES[name];
        if (spec.metric !== metric) continue;
        if (Object.entries(spec.labels ?? {}).some(([k, v]) => labels.get(k) !== v)) continue;
        if (Object.entries(spec.not ?? {}).some(([k, v]) => labels.get(k) === v)) continue;
        const h = reading[name];
        if (part === "_bucket") {
          const le = labels.get("le") === "+Inf" ? Number.POSITIVE_INFINITY : Number(labels.get("le"));
          h.buckets.set(le, (h.buckets.get(le) ?? 0) + Number(value));
        } else if (part === "_sum") h.sum += Number(value);
        else h.count += Number(value);
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
