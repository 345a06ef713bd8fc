/**
 * @module What the benchmarks share: the platform on a backend (embedded PGlite in a temporary
 * data directory, or a PostgreSQL server started here), and timed phases of HTTP requests at
 * bounded concurrency.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { arch, cpus, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { createDatabase, startPostgresServer } from "../../test-support/postgres-server.js";

export type Backend = "pglite" | "postgres";
export const BACKENDS: Backend[] = ["pglite", "postgres"];

export interface Phase {
  name: string;
  label: string;
  requests: number;
  concurrency: number;
  /** The request number `i` to send, and the status that counts as success. */
  request(i: number): { path: string; init?: RequestInit; expect: number };
  /** Sees each successful response's body. */
  onBody?(i: number, body: unknown): void;
}

export interface PhaseResult {
  requests: number;
  concurrency: number;
  throughput_per_s: number;
  p50_ms: number;
  p99_ms: number;
}

// Benchmarks run compiled, from bench/dist/bench/lib/ (see bench/tsconfig.json).
export const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../results");

export const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});

export function machine() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model.trim() ?? "unknown",
  };
}

export const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The benchmarks act as the first admin, over HTTP Basic (verified once, then cached by the server). */
export const BENCH_ADMIN_PASSWORD = "bench-admin-password-0";
const BENCH_AUTHORIZATION = `Basic ${Buffer.from(`admin:${BENCH_ADMIN_PASSWORD}`).toString("base64")}`;

/** fetch with the benchmark's admin credentials, unless the request brings its own. */
export function benchFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", BENCH_AUTHORIZATION);
  return fetch(url, { ...init, headers });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function runPhase(baseUrl: string, phase: Phase): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < phase.requests) {
      const i = next++;
      const { path, init, expect } = phase.request(i);
      const started = performance.now();
      const response = await benchFetch(baseUrl + path, init);
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
export async function startOn(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<{ platform: Platform; detail: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "tradai-bench-"));
  const settings = {
    TRADAI_PORT: "0",
    TRADAI_LOG_LEVEL: "silent",
    TRADAI_LAUNCHER: "none",
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
    TRADAI_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    ...env,
  };
  if (backend === "pglite") {
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
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
