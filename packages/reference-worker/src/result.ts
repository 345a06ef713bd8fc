/**
 * @module The result file. Everything in it follows from the parameter set and the data, except
 * the identity fields (job_id, worker_environment), so a rerun differs only there. Computed
 * numbers are rounded to 10 significant digits so float noise cannot change the bytes.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BacktestOutcome } from "./backtest.js";
import type { WorkerEnvironment } from "./environment.js";
import type { Metrics } from "./metrics.js";
import type { VerifiedParameterSet } from "./parameter-set-file.js";
import type { ResolvedParameters } from "./parameters.js";

export const WORKER = { name: "@tradai/reference-worker", version: "0.1.0", algorithm: "StochRsiStrategy" };

/** `round10(0.1 + 0.2) === 0.3`; -0 becomes 0. */
export const round10 = (value: number): number => Number(value.toPrecision(10));
const iso = (ms: number) => new Date(ms).toISOString();

export interface ResultInputs {
  env: WorkerEnvironment;
  verified: VerifiedParameterSet;
  resolved: ResolvedParameters;
  data: Record<string, unknown>;
  outcome: BacktestOutcome;
  metrics: Metrics;
}

export function buildResult({ env, verified, resolved, data, outcome, metrics }: ResultInputs) {
  const { parameterSet, hash } = verified;
  return {
    job_id: env.jobId,
    strategy: parameterSet.strategy,
    // Only runs bound to a config version carry the field at all (backward compatible results).
    ...(parameterSet.config_version_id === undefined ? {} : { config_version_id: parameterSet.config_version_id }),
    parameter_set_hash: hash,
    worker: WORKER,
    worker_environment: env.recorded,
    data,
    effective_parameters: resolved.effective,
    defaulted_parameters: resolved.defaulted,
    ignored_parameters: resolved.ignored,
    metrics: Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, round10(value)])),
    trades: outcome.trades.map((t) => ({
      pair: t.pair,
      open_time: iso(t.open_time),
      close_time: iso(t.close_time),
      open_rate: round10(t.open_rate),
      close_rate: round10(t.close_rate),
      amount: round10(t.amount),
      stake: round10(t.stake),
      profit_abs: round10(t.profit_abs),
      profit_ratio: round10(t.profit_ratio),
      exit_reason: t.exit_reason,
    })),
    equity_curve: outcome.equityCurve.map((p) => ({ time: iso(p.time), equity: round10(p.equity) })),
  };
}

/** Temp file in the same directory, then rename: readers see no file or the whole file. */
export function writeResultAtomically(path: string, result: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
