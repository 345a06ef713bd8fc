/**
 * @module Config-version benchmark: the real platform (startPlatform on 127.0.0.1, port 0) on
 * embedded PGlite (data directory in a temporary directory) and on a PostgreSQL server started
 * here, driven over HTTP with fetch at bounded concurrency. Writes bench/results/config-versions.json
 * and .md. Run with `npm run bench`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CreateConfigResponse } from "@tradai/core";
import {
  BACKENDS,
  type Backend,
  machine,
  type Phase,
  type PhaseResult,
  post,
  RESULTS_DIR,
  runPhase,
  startOn,
} from "./lib/harness.js";

const STRATEGY = "BenchStrategy";
const NEW_VERSIONS = 1000;

const configData = (i: number) => ({ timeframe: "1h", stoploss: -(i + 1) / 10_000, stake_amount: 150, seq: i });
const configIds: string[] = []; // of the versions created by the first phase, in creation order

const phases: Phase[] = [
  {
    name: "create_new",
    label: "create, new content",
    requests: NEW_VERSIONS,
    concurrency: 8,
    request: (i) => ({
      path: "/api/v1/configs",
      init: post({ strategy_name: STRATEGY, config_data: configData(i) }),
      expect: 201,
    }),
    onBody: (i, body) => {
      configIds[i] = (body as CreateConfigResponse).config_id;
    },
  },
  {
    name: "create_duplicate",
    label: "create, duplicate content",
    requests: NEW_VERSIONS,
    concurrency: 8,
    request: (i) => ({
      path: "/api/v1/configs",
      init: post({ strategy_name: STRATEGY, config_data: configData(i) }),
      expect: 200,
    }),
  },
  {
    name: "show",
    label: "show",
    requests: 1000,
    concurrency: 1,
    request: (i) => ({ path: `/api/v1/configs/${STRATEGY}/${configIds[(i * 7) % configIds.length]}`, expect: 200 }),
  },
  {
    name: "list",
    label: "list (page of 50)",
    requests: 300,
    concurrency: 1,
    request: (i) => ({ path: `/api/v1/configs/${STRATEGY}?limit=50&offset=${(i * 50) % NEW_VERSIONS}`, expect: 200 }),
  },
  {
    name: "activate",
    label: "activate (supersedes the previous)",
    requests: 300,
    concurrency: 1,
    request: (i) => ({
      path: `/api/v1/configs/${STRATEGY}/${configIds[i % configIds.length]}/activate`,
      init: post(undefined),
      expect: 200,
    }),
  },
];

async function benchBackend(backend: Backend) {
  console.log(`\n${backend}: starting`);
  const { platform, detail, stop } = await startOn(backend);
  try {
    configIds.length = 0;
    // Warm-up (JIT, connections, plans) on another strategy; not measured.
    await runPhase(platform.url, {
      name: "warmup",
      label: "warm-up",
      requests: 100,
      concurrency: 8,
      request: (i) => ({
        path: "/api/v1/configs",
        init: post({ strategy_name: "WarmUp", config_data: { i } }),
        expect: 201,
      }),
    });
    const results: Record<string, PhaseResult> = {};
    for (const phase of phases) {
      const result = await runPhase(platform.url, phase);
      results[phase.name] = result;
      console.log(
        `${backend}: ${phase.label.padEnd(36)} ${String(result.throughput_per_s).padStart(8)} req/s` +
          `  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms  (${result.requests} requests, concurrency ${result.concurrency})`,
      );
    }
    return { backend, detail, phases: results };
  } finally {
    await stop();
  }
}

function markdown(report: Awaited<ReturnType<typeof main>>): string {
  const backends = report.backends;
  const lines = [
    "# Config versions benchmark",
    "",
    `${report.date}, Node ${report.node}, ${report.platform}, ${report.cpus} CPUs (${report.cpu_model}).`,
    "The platform and the HTTP clients (fetch) share one process; see config-versions.json for details.",
    "",
    ...backends.map((b) => `- ${b.backend}: ${b.detail}`),
    "",
    `| metric | ${backends.map((b) => b.backend).join(" | ")} |`,
    `|---|${backends.map(() => "---:").join("|")}|`,
  ];
  for (const phase of phases) {
    const cell = (pick: (r: PhaseResult) => number, digits: number) =>
      backends
        .map((b) => {
          const result = b.phases[phase.name];
          return result ? pick(result).toFixed(digits) : "-";
        })
        .join(" | ");
    const how = `${phase.requests} requests, concurrency ${phase.concurrency}`;
    if (phase.concurrency > 1)
      lines.push(`| ${phase.label}: throughput, req/s (${how}) | ${cell((r) => r.throughput_per_s, 1)} |`);
    lines.push(`| ${phase.label}: p50, ms (${how}) | ${cell((r) => r.p50_ms, 2)} |`);
    lines.push(`| ${phase.label}: p99, ms (${how}) | ${cell((r) => r.p99_ms, 2)} |`);
  }
  return `${lines.join("\n")}\n`;
}

async function main() {
  const about = machine();
  const started = performance.now();
  const backends = [];
  for (const backend of BACKENDS) backends.push(await benchBackend(backend));
  console.log(`\ndone in ${Math.round((performance.now() - started) / 1000)} s`);
  return { benchmark: "config-versions", ...about, backends };
}

const report = await main();
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, "config-versions.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, "config-versions.md"), markdown(report));
console.log(`wrote ${join(RESULTS_DIR, "config-versions.json")} and config-versions.md`);
