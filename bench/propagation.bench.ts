/**
 * @module Propagation benchmark: how fast an activation reaches K running workers (100, 1,000,
 * 5,000 real SSE subscribers in separate client processes) through one and two `tradai serve`
 * replicas on one PostgreSQL server, against the floor of this machine (a bare node:http SSE
 * server and the same client processes); the replicas' memory per subscriber and CPU; and the
 * resolve poll path (200 / 304) against a bare Fastify route; and the session history's cost: the
 * fan-out with workers' applies recorded against the same without, and its transactions per row. Writes bench/results/propagation.json
 * and .md. Run with `npm run bench:propagation`; progress goes to stderr.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { reportWindowMs } from "@tradai/server";
import { createDatabase, startPostgresServer } from "../test-support/postgres-server.js";
import { BENCH_ADMIN_PASSWORD, benchFetch, machine, post, RESULTS_DIR, round } from "./lib/harness.js";
import { listenForCommits } from "./propagation/commits.js";
import type { Bench } from "./propagation/context.js";
import { floorRun } from "./propagation/floor-phase.js";
import { lightRun } from "./propagation/light-phase.js";
import { ACTIVATIONS, type PlatformResult, platformRun, SPACING_MS } from "./propagation/platform-phase.js";
import { startReplica } from "./propagation/replicas.js";
import { markdown } from "./propagation/report.js";
import { RESOLVE_CONCURRENCY, resolveRun } from "./propagation/resolve-phase.js";
import { Helper, now } from "./propagation/rpc.js";
import { stormRun } from "./propagation/storm-phase.js";

// BENCH_WORKERS=100,1000 runs fewer sizes (a quick check while working on the benchmark).
// The capacity curve (issue 20, item 4).
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? "100,1000,5000,10000").split(",").map(Number);
// The session-history pairs, the diagnostics and the storm run at this size (or the largest run below it).
const FLEET = Number(process.env.BENCH_FLEET ?? 5000);
// BENCH_REPLICAS=1 runs one replica count only.
const REPLICA_COUNTS = (process.env.BENCH_REPLICAS ?? "1,2").split(",").map(Number);
const CLIENT_PROCESSES = 4;
const HISTORY_ROUNDS = Number(process.env.BENCH_HISTORY_ROUNDS ?? 2);
// Default: the window the workers spread their report over (reportWindowMs), and 1 s: one change's history is recorded before the next.
const HISTORY_SPACING = process.env.BENCH_HISTORY_SPACING_MS;
const CONTINUOUS_ROUNDS = Number(process.env.BENCH_CONTINUOUS_ROUNDS ?? 1);
// BENCH_ONLY_SCALE=1 runs only the scale points (platform, floor, light readers) and writes nothing:
// with BENCH_REPLICA_PROFILE, a profile of the fan-out.
const ONLY_SCALE = process.env.BENCH_ONLY_SCALE === "1";
// BENCH_ONLY_HISTORY=1 runs only the session-history pairs and refreshes that section of the results.
const ONLY_HISTORY = process.env.BENCH_ONLY_HISTORY === "1";
const CLIENTS_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "propagation", "clients.js");

const started = now();
const log = (message: string) =>
  process.stderr.write(`[${((now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

/** Undone in reverse order at the end, on failure, and on Ctrl-C. */
const cleanups: (() => unknown)[] = [];
async function cleanUp() {
  for (const undo of cleanups.splice(0).reverse()) {
    try {
      await undo();
    } catch (error) {
      log(`clean-up: ${(error as Error).message}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

async function token(url: string, body: Record<string, unknown>): Promise<string> {
  const response = await benchFetch(`${url}/api/v1/tokens`, post(body));
  if (!response.ok) throw new Error(`POST /tokens answered HTTP ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Each client process's clock minus ours, from the IPC round trip that was shortest of 20. */
async function clockOffsets(helpers: Helper[]) {
  const offsets = [];
  for (const helper of helpers) {
    let best = { offset_ms: 0, rtt_ms: Number.POSITIVE_INFINITY };
    for (let i = 0; i < 20; i++) {
      const sent = now();
      const theirs = await helper.call<number>("clock");
      const back = now();
      if (back - sent < best.rtt_ms) best = { offset_ms: theirs - (sent + back) / 2, rtt_ms: back - sent };
    }
    offsets.push({ process: helper.name, offset_ms: round(best.offset_ms, 3), rtt_ms: round(best.rtt_ms, 3) });
  }
  return offsets;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "tradai-bench-propagation-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  log("starting PostgreSQL");
  const postgres = await startPostgresServer();
  cleanups.push(() => postgres.stop());
  const databaseUrl = await createDatabase(postgres.url, "tradai_bench");
  const replicaEnv = {
    TRADAI_DATABASE_URL: databaseUrl,
    TRADAI_LAUNCHER: "none",
    TRADAI_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
  };
  const commits = await listenForCommits(databaseUrl);
  cleanups.push(() => commits.close());

  log("setting up: migrations, catalog, tokens");
  const setup = await startReplica(replicaEnv);
  let adminToken: string;
  let workerToken: string;
  try {
    for (const [name, type, description] of [
      ["bench.threshold", "number", "Signal threshold"],
      ["bench.window", "int", "Look-back window"],
      ["bench.enabled", "bool", "Trading enabled"],
    ]) {
      const response = await benchFetch(
        `${setup.url}/api/v1/catalog`,
        post({ name, type, description, reload: "hot" }),
      );
      if (!response.ok) throw new Error(`POST /catalog answered HTTP ${response.status}: ${await response.text()}`);
    }
    adminToken = await token(setup.url, { name: "bench-admin", roles: ["admin"] });
    workerToken = await token(setup.url, { name: "bench-workers", roles: ["worker"], environments: ["dev"] });
  } finally {
    await setup.stop();
  }

  const clients = Array.from({ length: CLIENT_PROCESSES }, (_, i) => new Helper(`clients-${i}`, CLIENTS_SCRIPT));
  cleanups.push(() => Promise.all(clients.map((c) => c.stop())));
  const clocks = await clockOffsets(clients);
  log(`client processes' clock offsets (ms): ${clocks.map((c) => c.offset_ms).join(", ")}`);
  const b: Bench = { clients, replicaEnv, adminToken, workerToken, commits, log, notes: [] };

  // BENCH_ONLY_STORM=K runs only the reconnect storm of K clients and refreshes that section of the results.
  if (process.env.BENCH_ONLY_STORM) {
    const storm = await stormRun(b, Number(process.env.BENCH_ONLY_STORM));
    log(`BENCH_ONLY_STORM: ${JSON.stringify(storm)}`);
    refreshResults({ storm });
    await cleanUp();
    process.exit(0);
  }
  // BENCH_ONLY_RESOLVE=1 runs only the resolve poll comparison and refreshes that section of the results.
  if (process.env.BENCH_ONLY_RESOLVE === "1") {
    const resolve = await resolveRun(b);
    log(`BENCH_ONLY_RESOLVE: ${JSON.stringify({ ratio_200: resolve.ratio_200, ratio_304: resolve.ratio_304 })}`);
    refreshResults({ resolve });
    await cleanUp();
    process.exit(0);
  }
  // The reconnect storm first, on a fresh database: later runs leave thousands of stopped workers
  // whose alerts and retirements a replica writes meanwhile, which would count as the storm's.
  const storm = ONLY_SCALE || ONLY_HISTORY ? undefined : await stormRun(b, FLEET);
  const runs = [];
  for (const k of ONLY_HISTORY ? [] : WORKER_COUNTS) {
    for (const replicas of REPLICA_COUNTS) {
      const platform = await platformRun(b, replicas, k);
      const floor = await floorRun(b, replicas, k, platform.change_chunk_bytes);
      // The same stream read by light readers: the server and the network without the fleet's work.
      const light = await lightRun(b, replicas, k);
      const ratio = round(platform.latency_ms.from_commit_notify.p99_ms / floor.latency_ms.p99_ms, 2);
      log(
        `${replicas} replica(s), ${k} workers: p99 ${platform.latency_ms.from_commit_notify.p99_ms} ms = ${ratio} x floor; light readers p99 ${light.latency_ms.p99_ms} ms`,
      );
      runs.push({
        replicas,
        workers: k,
        p99_ratio_to_floor: ratio,
        light_p99_ratio_to_floor: round(light.latency_ms.p99_ms / floor.latency_ms.p99_ms, 2),
        platform,
        floor,
        light,
      });
    }
  }
  if (ONLY_SCALE) {
    // BENCH_SCALE_OUT=FILE keeps the points' whole figures.
    if (process.env.BENCH_SCALE_OUT) writeFileSync(process.env.BENCH_SCALE_OUT, `${JSON.stringify(runs, null, 2)}\n`);
    log(
      `BENCH_ONLY_SCALE: ${JSON.stringify(runs.map((r) => ({ replicas: r.replicas, workers: r.workers, ratio: r.p99_ratio_to_floor, light: r.light_p99_ratio_to_floor })))}`,
    );
    await cleanUp();
    process.exit(0);
  }
  // The session-history target, "5,000 workers applying one change": at the most workers, 1
  // replica, each activation HISTORY_SPACING_MS after the last, so that the history of one change
  // is recorded before the next (the workers report within 5 s of their boundary). The fan-out
  // without any history recorded, then with it, back to back (each on a fresh replica), twice:
  // one pair alone is within this machine's run-to-run noise. Compared: the mean of each way's p99.
  const kMax = Math.max(...WORKER_COUNTS.filter((k) => k <= FLEET), Math.min(...WORKER_COUNTS));
  const pair = async (spacingMs: number) => ({
    without_history: await platformRun(b, 1, kMax, { history: false, spacingMs }),
    with_history: await platformRun(b, 1, kMax, { history: true, spacingMs }),
  });
  const rounds: { without_history: PlatformResult; with_history: PlatformResult }[] = [];
  const historySpacingMs = Number(HISTORY_SPACING ?? reportWindowMs(kMax) + 1000);
  for (let i = 0; i < HISTORY_ROUNDS; i++) rounds.push(await pair(historySpacingMs));
  // Diagnostic: the same with a change every second, so that each fan-out meets the previous
  // changes' reports and history writes (CONTINUOUS_ROUNDS pairs).
  const continuous: { without_history: PlatformResult; with_history: PlatformResult }[] = [];
  for (let i = 0; i < CONTINUOUS_ROUNDS; i++) continuous.push(await pair(SPACING_MS));
  const meanP99 = (way: "with_history" | "without_history", of = rounds) =>
    round(of.reduce((t, r) => t + r[way].latency_ms.from_commit_notify.p99_ms, 0) / of.length, 2);
  const rows = rounds.reduce((t, r) => t + r.with_history.session_history.rows, 0);
  const transactions = rounds.reduce((t, r) => t + r.with_history.session_history.transactions, 0);
  const sessionHistory = {
    workers: kMax,
    spacing_ms: historySpacingMs,
    rounds,
    continuous: {
      spacing_ms: SPACING_MS,
      rounds: continuous,
      p99_ms:
        continuous.length === 0
          ? null
          : {
              without_history: meanP99("without_history", continuous),
              with_history: meanP99("with_history", continuous),
            },
    },
    p99_ms: { without_history: meanP99("without_history"), with_history: meanP99("with_history") },
    p99_ratio: round(meanP99("with_history") / meanP99("without_history"), 3),
    rows,
    transactions,
    transactions_per_100_rows: rows === 0 ? null : round((transactions / rows) * 100, 3),
  };
  log(
    `session history, ${kMax} workers: mean p99 ${sessionHistory.p99_ms.with_history} ms with, ` +
      `${sessionHistory.p99_ms.without_history} ms without; ${transactions} transaction(s) for ${rows} rows` +
      (sessionHistory.continuous.p99_ms
        ? `; a change every second: ${sessionHistory.continuous.p99_ms.with_history} ms with, ${sessionHistory.continuous.p99_ms.without_history} ms without`
        : ""),
  );
  // Diagnostic: the same without the heartbeat each worker sends after an applied boundary.
  const diagnostics = [];
  if (ONLY_HISTORY) {
    log("BENCH_ONLY_HISTORY: the rest is skipped");
    refreshResults({ session_history: sessionHistory });
    await cleanUp(); // PostgreSQL and the client processes
    process.exit(0);
  }
  for (const k of WORKER_COUNTS.filter((x) => x >= 1000 && x <= kMax))
    diagnostics.push(await platformRun(b, 1, k, { heartbeats: false }));
  const resolve = await resolveRun(b);
  if (!storm) throw new Error("the storm runs with the full benchmark");
  return {
    ...machine(),
    memory_gib: round(totalmem() / 2 ** 30, 1),
    duration_s: round((now() - started) / 1000, 0),
    setup: {
      postgres: "one PostgreSQL server on loopback (test-support/postgres-server.ts), shared by the replicas",
      replicas: "tradai serve child processes, TRADAI_DATABASE_POOL_SIZE default (10), TRADAI_LOG_LEVEL=warn",
      client_processes: CLIENT_PROCESSES,
      activations: ACTIVATIONS,
      warm_up_activations: 1,
      spacing_ms: SPACING_MS,
      subscriber_heartbeat_ms: 600_000,
      resolve_concurrency: RESOLVE_CONCURRENCY,
    },
    clock_offsets: clocks,
    runs,
    session_history: sessionHistory,
    diagnostics,
    resolve,
    storm,
    /** Sections run again alone later (BENCH_ONLY_*), with when. */
    refreshed: {} as Record<string, string>,
    notes: b.notes,
  };
}

/** Replaces sections of the written results with a later run's (BENCH_ONLY_*), and says so in them. */
function refreshResults(sections: Partial<PropagationReport>) {
  const file = join(RESULTS_DIR, "propagation.json");
  const report = JSON.parse(readFileSync(file, "utf8")) as PropagationReport;
  const at = new Date().toISOString();
  Object.assign(report, sections);
  report.refreshed = { ...(report.refreshed ?? {}), ...Object.fromEntries(Object.keys(sections).map((k) => [k, at])) };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, "propagation.md"), markdown(report));
  log(`refreshed ${Object.keys(sections).join(", ")} in ${file} and propagation.md`);
}

try {
  const report = await main();
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, "propagation.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, "propagation.md"), markdown(report));
  log(`wrote ${join(RESULTS_DIR, "propagation.md")}`);
} finally {
  await cleanUp();
}

export type PropagationReport = Awaited<ReturnType<typeof main>>;
