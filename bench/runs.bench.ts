/**
 * @module Runs benchmark, on PGlite and PostgreSQL: backtest submissions per second (each
 * creating a new parameter set, and all sharing one), and claim latency from queued to running
 * (the run record's created_at to started_at) with the local launcher and the reference worker,
 * one run at a time (a slot always free) and as a burst of 40. Writes bench/results/runs.json/.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Run } from "@tradai/core";
import {
  BACKENDS,
  type Backend,
  benchFetch,
  machine,
  type Phase,
  type PhaseResult,
  percentile,
  post,
  RESULTS_DIR,
  round,
  runPhase,
  startOn,
} from "./lib/harness.js";

const config = (stake: number) => ({
  config: {
    strategy: "StochRsiStrategy",
    symbols: ["BTC/USDT:USDT"],
    timeframe: "1h",
    start_date: "2025-01-01",
    end_date: "2025-02-01",
    stake_amount: stake,
    exchange: "binance_futures",
  },
});

const submitPhases: Phase[] = [
  {
    name: "submit_new_parameter_set",
    label: "submit, new parameter set each",
    requests: 500,
    concurrency: 8,
    request: (i) => ({ path: "/api/v1/backtests", init: post(config(100 + i)), expect: 202 }),
  },
  {
    name: "submit_shared_parameter_set",
    label: "submit, one shared parameter set",
    requests: 500,
    concurrency: 8,
    request: () => ({ path: "/api/v1/backtests", init: post(config(1000)), expect: 202 }),
  },
];

interface ClaimResult {
  runs: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  drain_runs_per_s?: number;
}

async function getRun(baseUrl: string, jobId: string): Promise<Run> {
  return (await (await benchFetch(`${baseUrl}/api/v1/backtests/${jobId}`)).json()) as Run;
}

async function untilEnded(baseUrl: string, jobIds: string[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const jobId of jobIds) {
    for (;;) {
      const run = await getRun(baseUrl, jobId);
      if (["completed", "failed", "cancelled"].includes(run.status)) {
        if (run.status !== "completed") throw new Error(`run ${jobId} ${run.status}: ${run.error}`);
        runs.push(run);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return runs;
}

function claimLatencies(runs: Run[]): ClaimResult {
  const ms = runs.map((r) => Date.parse(r.started_at as string) - Date.parse(r.created_at)).sort((a, b) => a - b);
  return {
    runs: runs.length,
    p50_ms: round(percentile(ms, 50), 1),
    p99_ms: round(percentile(ms, 99), 1),
    max_ms: round(ms.at(-1) ?? 0, 1),
  };
}

async function submit(baseUrl: string, stake: number): Promise<string> {
  const response = await benchFetch(`${baseUrl}/api/v1/backtests`, post(config(stake)));
  if (response.status !== 202) throw new Error(`submit: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { job_id: string }).job_id;
}

async function benchBackend(backend: Backend) {
  console.log(`\n${backend}: submissions (no launcher)`);
  const submissions: Record<string, PhaseResult> = {};
  const first = await startOn(backend);
  try {
    for (const phase of submitPhases) {
      const result = await runPhase(first.platform.url, phase);
      submissions[phase.name] = result;
      console.log(
        `${backend}: ${phase.label.padEnd(34)} ${result.throughput_per_s} req/s  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms`,
      );
    }
  } finally {
    await first.stop();
  }

  console.log(`${backend}: claim latency (local launcher, concurrency 2, reference worker)`);
  const second = await startOn(backend, { TRADAI_LAUNCHER: "local", TRADAI_RUN_CONCURRENCY: "2" });
  try {
    const url = second.platform.url;
    const oneAtATime: Run[] = [];
    for (let i = 0; i < 30; i++) {
      oneAtATime.push(...(await untilEnded(url, [await submit(url, 500 + i)])));
      if (i % 10 === 9) console.log(`${backend}:   ${i + 1}/30 sequential runs done`);
    }
    const single = claimLatencies(oneAtATime);
    console.log(`${backend}: queued -> running, one at a time: p50 ${single.p50_ms} ms  p99 ${single.p99_ms} ms`);
    const started = performance.now();
    const burstIds = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(url, 700 + i)));
    const burstRuns = await untilEnded(url, burstIds);
    const burst = {
      ...claimLatencies(burstRuns),
      drain_runs_per_s: round(40 / ((performance.now() - started) / 1000), 2),
    };
    console.log(
      `${backend}: burst of 40: drained at ${burst.drain_runs_per_s} runs/s, queued -> running p50 ${burst.p50_ms} ms`,
    );
    return { backend, detail: second.detail, submissions, claim_one_at_a_time: single, claim_burst_40: burst };
  } finally {
    await second.stop();
  }
}

type Report = Awaited<ReturnType<typeof main>>;

function markdown(report: Report): string {
  const b = report.backends;
  const row = (label: string, pick: (x: Report["backends"][number]) => number | undefined) =>
    `| ${label} | ${b.map((x) => String(pick(x) ?? "-")).join(" | ")} |`;
  return `${[
    "# Runs benchmark",
    "",
    `${report.date}, Node ${report.node}, ${report.platform}, ${report.cpus} CPUs (${report.cpu_model}).`,
    "Submissions over HTTP at concurrency 8 with no launcher; claim latency is the run record's created_at to",
    "started_at with the local launcher (polls every 500 ms, 2 slots) running the reference worker.",
    "",
    ...b.map((x) => `- ${x.backend}: ${x.detail}`),
    "",
    `| metric | ${b.map((x) => x.backend).join(" | ")} |`,
    `|---|${b.map(() => "---:").join("|")}|`,
    row("submit, new parameter set each: req/s (500)", (x) => x.submissions.submit_new_parameter_set?.throughput_per_s),
    row("submit, new parameter set each: p99 ms", (x) => x.submissions.submit_new_parameter_set?.p99_ms),
    row(
      "submit, one shared parameter set: req/s (500)",
      (x) => x.submissions.submit_shared_parameter_set?.throughput_per_s,
    ),
    row("submit, one shared parameter set: p99 ms", (x) => x.submissions.submit_shared_parameter_set?.p99_ms),
    row("queued -> running, one at a time: p50 ms (30 runs)", (x) => x.claim_one_at_a_time.p50_ms),
    row("queued -> running, one at a time: p99 ms", (x) => x.claim_one_at_a_time.p99_ms),
    row("burst of 40: queue drained, runs/s", (x) => x.claim_burst_40.drain_runs_per_s),
    row("burst of 40: queued -> running p50 ms", (x) => x.claim_burst_40.p50_ms),
    row("burst of 40: queued -> running max ms", (x) => x.claim_burst_40.max_ms),
  ].join("\n")}\n`;
}

async function main() {
  const about = machine();
  const backends = [];
  for (const backend of BACKENDS) backends.push(await benchBackend(backend));
  return { benchmark: "runs", ...about, backends };
}

const report = await main();
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, "runs.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, "runs.md"), markdown(report));
console.log(`wrote ${join(RESULTS_DIR, "runs.json")} and runs.md`);
