/**
 * @module Config-version benchmark: the real platform (startPlatform on 127.0.0.1, port 0) on
 * embedded PGlite (data directory in a temporary directory) and on a PostgreSQL server started
 * here, driven over HTTP with fetch at bounded concurrency. Writes bench/results/config-versions.json
 * and .md. Run with `npm run bench`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { arch, cpus, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CreateConfigResponse } from "@tradai/core";
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { createDatabase, startPostgresServer } from "../test-support/postgres-server.js";

type Backend = "pglite" | "postgres";

interface Phase {
  name: string;
  label: string;
  requests: number;
  concurrency: number;
  /** The request number `i` to send, and the status that counts as success. */
  request(i: number): { path: string; init?: RequestInit; expect: number };
  /** Sees each successful response's body. */
  onBody?(i: number, body: unknown): void;
}

interface PhaseResult {
  requests: number;
  concurrency: number;
  throughput_per_s: number;
  p50_ms: number;
  p99_ms: number;
}

// This file runs compiled, from bench/dist/bench/ (see bench/tsconfig.json).
const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../results");
const STRATEGY = "BenchStrategy";
const NEW_VERSIONS = 1000;

const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});
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

const round = (value: number, digits: number) => Number(value.toFixed(digits));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function runPhase(baseUrl: string, phase: Phase): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < phase.requests) {
      const i = next++;
      const { path, init, expect } = phase.request(i);
      const started = performance.now();
      const response = await fetch(baseUrl + path, init);
      const body = await response.json();
      latencies.push(performance.now() - started);
      if (response.status !== expect) {
        throw new Error(`${phase.name} #${i}: HTTP ${response.status}, expected ${expect}: ${JSON.stringify(body)}`);
      }
      phase.onBody?.(i, body);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: phase.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: phase.requests,
    concurrency: phase.concurrency,
    throughput_per_s: round(phase.requests / seconds, 1),
    p50_ms: round(percentile(latencies, 50), 2),
    p99_ms: round(percentile(latencies, 99), 2),
  };
}

async function serverVersion(platform: Platform): Promise<string> {
  const { rows } = await platform.db.query<{ server_version: string }>("SHOW server_version");
  return rows[0]?.server_version ?? "?";
}

/** The platform on one backend, and how to tear it (and its database) down. */
async function startOn(backend: Backend): Promise<{ platform: Platform; detail: string; stop(): Promise<void> }> {
  const settings = { TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent" };
  if (backend === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "tradai-bench-"));
    const platform = await startPlatform(loadSettings({ ...settings, TRADAI_DATA_DIR: join(dir, "data") }));
    return {
      platform,
      detail: `PGlite (PostgreSQL ${await serverVersion(platform)}) in process, data directory on disk`,
      async stop() {
        await platform.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = await startPostgresServer();
  try {
    const url = await createDatabase(server.url, "tradai_bench");
    const platform = await startPlatform(loadSettings({ ...settings, TRADAI_DATABASE_URL: url }));
    return {
      platform,
      detail: `PostgreSQL ${await serverVersion(platform)} server on loopback, pool of 10 connections`,
      async stop() {
        await platform.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

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
  const date = new Date().toISOString();
  const started = performance.now();
  const backends = [];
  for (const backend of ["pglite", "postgres"] as const) backends.push(await benchBackend(backend));
  console.log(`\ndone in ${Math.round((performance.now() - started) / 1000)} s`);
  return {
    benchmark: "config-versions",
    date,
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model.trim() ?? "unknown",
    backends,
  };
}

const report = await main();
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, "config-versions.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, "config-versions.md"), markdown(report));
console.log(`wrote ${join(RESULTS_DIR, "config-versions.json")} and config-versions.md`);
