/**
 * @module What every phase of the propagation benchmark shares: the client processes, the
 * replicas' settings, the tokens, the commit listener, progress on stderr, and small helpers.
 */
import { createApiClient } from "@tradai/client";
import type { CommitListener } from "./commits.js";
import type { Helper } from "./rpc.js";

export const ENVIRONMENT = "dev";
export const PARAMETERS = ["bench.threshold", "bench.window", "bench.enabled"] as const;

export interface Bench {
  /** The client processes: the same ones for the platform and the floor. */
  clients: Helper[];
  /** TRADAI_* settings of every replica (database, admin password, directories). */
  replicaEnv: Record<string, string>;
  /** Bearer token of an admin service account (activations). */
  adminToken: string;
  /** Bearer token the simulated workers share (role worker, environment dev). */
  workerToken: string;
  commits: CommitListener;
  log(message: string): void;
  /** Things that went wrong around the measurements (e.g. a replica that had to be killed), for the report. */
  notes: string[];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `total` split into `parts` shares that differ by at most one. */
export const shares = (total: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

export const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

/** Polls `done` every 10 ms until it holds or `timeoutMs` passes. @returns whether it held */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

export const adminApi = (url: string, b: Bench) =>
  createApiClient({ baseUrl: url, credentials: { token: b.adminToken } });

/** A strategy with two versions that differ in a `hot` parameter; the first one active. */
export async function twoVersions(url: string, b: Bench, strategy: string): Promise<[string, string]> {
  const api = adminApi(url, b);
  const data = (threshold: number) => ({
    bench: { threshold, window: 14, enabled: true },
    symbols: ["BTC/USDT:USDT", "ETH/USDT:USDT"],
    timeframe: "1h",
  });
  const a = (await api.createConfig({ strategy_name: strategy, config_data: data(0.5) })).config_id;
  const c = (await api.createConfig({ strategy_name: strategy, config_data: data(0.6) })).config_id;
  await api.activate(strategy, a, { environment: ENVIRONMENT });
  return [a, c];
}
