/**
 * @module One platform run of the propagation benchmark: `replicas` fresh `tradai serve` processes,
 * K simulated workers spread over the client processes (and evenly over the replicas), then
 * activations alternating two versions; from each commit to each worker's boundary applying it.
 * Also the replicas' memory per subscriber and their CPU while the activations run.
 */

import { reportWindowMs } from "@tradai/server";
import { round } from "../lib/harness.js";
import { type Bench, ENVIRONMENT, shares, sleep, sum, twoVersions, waitFor } from "./context.js";
import { childrenNamed, cpuMeter, rssKiB } from "./proc.js";
import { type Replica, startReplica } from "./replicas.js";
import { now } from "./rpc.js";
import {
  type HistogramReading,
  readServerHistograms,
  readStatements,
  serverTimings,
  statementsBetween,
} from "./server-histograms.js";
import { maxOf, perEvent, spread, summarise } from "./stats.js";

export const ACTIVATIONS = 12; // measured, after one warm-up activation
export const SPACING_MS = 1000;
const APPLY_TIMEOUT_MS = 60_000;
const IDLE_MS = 5000;

interface Connected {
  connected: number;
  failed: number;
  failures: string[];
}
interface Stopped {
  applied: Record<string, number[]>;
  received: Record<string, number[]>;
  caught_by_sweep: number;
  unexpected: string[];
  warnings: Record<string, number>;
  change_chunk_bytes: number;
}

interface Activation {
  index: number;
  seq: number;
  version: string;
  t0: number;
  t1: number;
  notified: number;
  at_ms: number;
  complete: boolean;
}

async function connect(
  b: Bench,
  replicas: Replica[],
  strategy: string,
  k: number,
  initialVersion: string,
  heartbeats: boolean,
  history: boolean,
) {
  const counts = b.clients.map(() => 0);
  const off = b.clients.map((c, j) =>
    c.onNote((n) => {
      if (n.note === "connected") counts[j] = n.count as number;
    }),
  );
  const ticker = setInterval(() => b.log(`  connected ${sum(counts)}/${k}`), 2000);
  const started = now();
  try {
    const share = shares(k, b.clients.length);
    const results = await Promise.all(
      b.clients.map((c, j) =>
        c.call<Connected>("connectPlatform", {
          url: replicas[j % replicas.length]?.url,
          token: b.workerToken,
          environment: ENVIRONMENT,
          strategy,
          count: share[j],
          idPrefix: `bench-r${replicas.length}-k${k}-p${j}${heartbeats ? "" : "-nohb"}${history ? "" : "-nohist"}`,
          initialVersion,
          heartbeats,
          history,
        }),
      ),
    );
    return { results, seconds: (now() - started) / 1000 };
  } finally {
    clearInterval(ticker);
    for (const f of off) f();
  }
}

export async function activate(b: Bench, url: string, strategy: string, version: string, index: number) {
  await Promise.all(b.clients.map((c) => c.call("expect", { index, version })));
  const commit = b.commits.expectNext();
  const t0 = now();
  const response = await fetch(`${url}/api/v1/configs/${strategy}/${version}/activate?environment=${ENVIRONMENT}`, {
    method: "POST",
    headers: { authorization: `Bearer ${b.adminToken}`, "content-type": "application/json" },
    body: "{}",
  });
  const t1 = now();
  const text = await response.text();
  if (response.status !== 200) throw new Error(`activation answered HTTP ${response.status}: ${text}`);
  const { seq, notified } = await commit;
  const event = await b.commits.event(seq);
  if (event.config_id !== version) throw new Error(`event ${seq} activated ${event.config_id}, not ${version}`);
  return { index, seq, version, t0, t1, notified, at_ms: event.at_ms };
}

/** A counter's value summed over the replicas' /metrics. */
async function counter(replicas: Replica[], name: string): Promise<number> {
  let total = 0;
  for (const r of replicas) {
    const text = await (await fetch(`${r.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${name} `));
    total += line ? Number(line.split(" ")[1]) : 0;
  }
  return total;
}

export interface RunOptions {
  /** false, a diagnostic: the heartbeat after each applied boundary is not sent */
  heartbeats?: boolean;
  /** false, the baseline of the session-history target: no applies recorded (see clients.ts) */
  history?: boolean;
  /** the least time from one activation to the next (each also waits for every worker to apply) */
  spacingMs?: number;
}

export async function platformRun(b: Bench, replicaCount: number, k: number, options: RunOptions = {}) {
  const { heartbeats = true, history = true, spacingMs = SPACING_MS } = options;
  const label = `platform, ${replicaCount} replica(s), ${k} workers${heartbeats ? "" : ", no heartbeat after boundary"}${history ? "" : ", no session history"}${spacingMs === SPACING_MS ? "" : `, activations ${spacingMs / 1000} s apart`}`;
  b.log(`${label}: starting ${replicaCount} x tradai serve`);
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < replicaCount; i++) replicas.push(await startReplica(b.replicaEnv));
    const url = (replicas[0] as Replica).url;
    const strategy = `BenchProp_r${replicaCount}_k${k}${heartbeats ? "" : "_nohb"}${history ? "" : "_nohist"}`;
    const [first, second] = await twoVersions(url, b, strategy);
    await sleep(1000);
    const rssBefore = replicas.map((r) => rssKiB(r.pid));

    b.log(`${label}: connecting`);
    const { results, seconds } = await connect(b, replicas, strategy, k, first, heartbeats, history);
    const connected = sum(results.map((r) => r.connected));
    b.log(`${label}: ${connected}/${k} connected in ${seconds.toFixed(1)} s; idle ${IDLE_MS / 1000} s`);
    await sleep(IDLE_MS);
    const rssAfter = replicas.map((r) => rssKiB(r.pid));

    const counts = b.clients.map(() => new Map<number, number>());
    const off = b.clients.map((c, j) =>
      c.onNote((n) => {
        if (n.note === "applied") counts[j]?.set(n.index as number, n.count as number);
      }),
    );
    const meter = cpuMeter({
      servers: () => replicas.map((r) => r.pid),
      postgres: () => childrenNamed("postgres"),
      clients: () => b.clients.map((c) => c.pid),
    });
    const activations: Activation[] = [];
    let histogramsBefore: HistogramReading | undefined;
    const statementsBefore = await readStatements(replicas.map((r) => r.url));
    try {
      for (let i = 0; i <= ACTIVATIONS; i++) {
        // After the warm-up: the server's histograms then hold the measured activations alone.
        if (i === 1) histogramsBefore = await readServerHistograms(replicas.map((r) => r.url));
        const a = await activate(b, url, strategy, i % 2 === 0 ? second : first, i);
        const complete = await waitFor(
          () => results.every((r, j) => (counts[j]?.get(i) ?? 0) >= r.connected),
          APPLY_TIMEOUT_MS,
        );
        const have = sum(counts.map((c) => c.get(i) ?? 0));
        b.log(
          `${label}: activation ${i}${i === 0 ? " (warm-up)" : ""} seq ${a.seq}: ${have}/${connected} applied` +
            ` in ${(now() - a.notified).toFixed(0)} ms after commit${complete ? "" : " (TIMED OUT)"}`,
        );
        activations.push({ ...a, complete });
        await sleep(a.t0 + spacingMs - now());
      }
    } finally {
      for (const f of off) f();
    }
    const cpu = meter();
    const histogramsAfter = await readServerHistograms(replicas.map((r) => r.url));
    // The reports after the last activation's boundary go out within the window the change frames
    // named (5 s, longer for a replica with many streams), at random: wait for them.
    await sleep(reportWindowMs(Math.ceil(k / replicas.length)) + 1000);
    // Every statement of the activations phase: the changes, their fan-out and the workers' reports.
    const statements = statementsBetween(await readStatements(replicas.map((r) => r.url)), statementsBefore);
    const rows = await counter(replicas, "tradai_session_history_rows_total");
    const transactions = await counter(replicas, "tradai_session_history_transactions_total");
    const stopped = await Promise.all(b.clients.map((c) => c.call<Stopped>("stopPlatform")));
    return {
      heartbeat_after_boundary: heartbeats,
      spacing_ms: spacingMs,
      database_statements: {
        ...statements,
        per_change: {
          read: round(statements.read / (ACTIVATIONS + 1), 1),
          write: round(statements.write / (ACTIVATIONS + 1), 1),
        },
      },
      // Measured in the server: commit to hand-out, and hand-out to the last live stream's write.
      server: histogramsBefore ? serverTimings(histogramsBefore, histogramsAfter) : undefined,
      session_history: {
        recorded: history,
        rows,
        transactions,
        transactions_per_100_rows: rows === 0 ? null : round((transactions / rows) * 100, 3),
      },
      ...summarisePlatform({
        replicas,
        k,
        connected,
        results,
        seconds,
        rssBefore,
        rssAfter,
        activations,
        stopped,
        cpu,
      }),
    };
  } finally {
    for (const r of replicas) {
      const { seconds, killed } = await r.stop();
      b.log(`${label}: replica stopped in ${seconds.toFixed(1)} s${killed ? " (killed)" : ""}`);
      if (killed) {
        // The replica names its slow shutdown steps ("still ... after 2 s", "... took X s").
        const steps = r
          .problems()
          .filter((line) => line.includes("shutting down"))
          .map(messageOf);
        b.notes.push(
          `${label}: a replica had not exited 10 s after SIGTERM (its workers had stopped); killed. Its slow steps: ${steps.join("; ") || "none logged"}`,
        );
      }
    }
  }
}

/** A replica's log line as its message (a JSON line), or the line itself. */
function messageOf(line: string): string {
  try {
    return (JSON.parse(line) as { msg?: string }).msg ?? line;
  } catch {
    return line;
  }
}

function summarisePlatform(run: {
  replicas: Replica[];
  k: number;
  connected: number;
  results: Connected[];
  seconds: number;
  rssBefore: number[];
  rssAfter: number[];
  activations: Activation[];
  stopped: Stopped[];
  cpu: ReturnType<ReturnType<typeof cpuMeter>>;
}) {
  const measured = run.activations.filter((a) => a.index > 0);
  const appliesOf = (a: Activation) => run.stopped.flatMap((s) => s.applied[a.index] ?? []);
  const receiptsOf = (a: Activation) => run.stopped.flatMap((s) => s.received[a.index] ?? []);
  const from = (ref: (a: Activation) => number) => measured.flatMap((a) => appliesOf(a).map((t) => t - ref(a)));
  const last = (ref: (a: Activation) => number) => measured.map((a) => maxOf(appliesOf(a)) - ref(a));
  const warnings: Record<string, number> = {};
  for (const s of run.stopped) for (const [m, n] of Object.entries(s.warnings)) warnings[m] = (warnings[m] ?? 0) + n;
  const rssDelta = sum(run.rssAfter) - sum(run.rssBefore);
  return {
    replicas: run.replicas.length,
    workers: run.k,
    connected: run.connected,
    connect_failures: run.results.flatMap((r) => r.failures),
    connect_seconds: round(run.seconds, 1),
    rss_kib: { before: run.rssBefore, after: run.rssAfter },
    rss_per_subscriber_kib: round(rssDelta / Math.max(1, run.connected), 1),
    cpu_during_activations: run.cpu,
    cpu_seconds_per_activation: perEvent(run.cpu, run.activations.length),
    latency_ms: {
      from_commit_notify: summarise(from((a) => a.notified)),
      from_event_insert: summarise(from((a) => a.at_ms)),
      from_request_start: summarise(from((a) => a.t0)),
      from_response: summarise(from((a) => a.t1)),
      receipt_from_commit_notify: summarise(measured.flatMap((a) => receiptsOf(a).map((t) => t - a.notified))),
    },
    last_worker_ms: {
      from_commit_notify: spread(last((a) => a.notified)),
      from_event_insert: spread(last((a) => a.at_ms)),
    },
    activation_request_ms: spread(measured.map((a) => a.t1 - a.t0)),
    commit_window_ms: spread(measured.map((a) => a.notified - a.at_ms)),
    activations: run.activations.map((a) => ({
      index: a.index,
      warm_up: a.index === 0,
      seq: a.seq,
      config_id: a.version,
      request_ms: round(a.t1 - a.t0, 2),
      notify_after_request_start_ms: round(a.notified - a.t0, 2),
      insert_to_notify_ms: round(a.notified - a.at_ms, 3),
      applied: appliesOf(a).length,
      complete: a.complete,
      p99_from_commit_ms: summarise(appliesOf(a).map((t) => t - a.notified)).p99_ms,
      last_from_commit_ms: round(maxOf(appliesOf(a)) - a.notified, 2),
    })),
    missing_applies: measured.reduce((n, a) => n + run.connected - appliesOf(a).length, 0),
    caught_by_sweep: sum(run.stopped.map((s) => s.caught_by_sweep)),
    unexpected_applies: run.stopped.flatMap((s) => s.unexpected),
    client_warnings: warnings,
    change_chunk_bytes: maxOf(run.stopped.map((s) => s.change_chunk_bytes)),
    server_problems: run.replicas.flatMap((r) => r.problems()).slice(0, 50),
  };
}

export type PlatformResult = Awaited<ReturnType<typeof platformRun>>;
