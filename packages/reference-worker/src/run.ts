/** @module One backtest run, start to finish: verify, resolve, load, simulate, report, write. */
import { TIMEFRAME_MS } from "@tradai/core";
import { runBacktest } from "./backtest.js";
import { loadCandles } from "./candles/load.js";
import { readWorkerEnvironment, type WorkerEnvironment } from "./environment.js";
import { computeMetrics } from "./metrics.js";
import { loadParameterSet } from "./parameter-set-file.js";
import { type ResolvedParameters, resolveParameters } from "./parameters.js";
import { progressReporter } from "./progress.js";
import { buildResult, WORKER, writeResultAtomically } from "./result.js";
import { stochRsiSignals } from "./strategy.js";

/** Signals (SIGTERM) are handled on the event loop, so a long simulation gives it a turn now and then. */
const YIELD_EVERY = 10_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * TIMEFRAME, TIMERANGE and PAIRS are informational (the parameter set is the only source of
 * parameters); a disagreement points at a launcher bug, so it is logged, not obeyed.
 */
function warnOnLaunchMismatch(env: WorkerEnvironment, { effective }: ResolvedParameters): void {
  const expected: Record<string, string> = {
    TIMEFRAME: effective.timeframe,
    TIMERANGE: `${effective.start_date.replaceAll("-", "")}-${effective.end_date.replaceAll("-", "")}`,
    PAIRS: effective.symbols.join(","),
  };
  for (const [name, value] of Object.entries(expected)) {
    const seen = env.recorded[name];
    if (seen !== undefined && seen !== value) {
      process.stderr.write(
        `warning: ${name}=${seen} differs from the parameter set (${value}); using the parameter set\n`,
      );
    }
  }
  if (env.strategy !== WORKER.algorithm) {
    process.stderr.write(`warning: running ${WORKER.algorithm} logic for strategy ${env.strategy}\n`);
  }
}

export async function runWorker(variables: Record<string, string | undefined>): Promise<void> {
  const env = readWorkerEnvironment(variables);
  const verified = loadParameterSet(env);
  const resolved = resolveParameters(verified.parameterSet.values);
  warnOnLaunchMismatch(env, resolved);
  const report = progressReporter(env);
  const { effective } = resolved;
  const source = env.dataDir === undefined ? "synthetic data" : `CSV data from ${env.dataDir}`;
  await report(
    0,
    `${WORKER.algorithm} backtest of ${effective.symbols.join(", ")} ${effective.timeframe} ` +
      `${effective.start_date}..${effective.end_date} (end exclusive) on ${source}`,
  );

  const loaded = loadCandles(resolved, env.dataDir);
  await yieldToEventLoop();
  const pairs = loaded.pairs.map((p) => ({ ...p, signals: stochRsiSignals(p.candles, effective) }));
  const total = pairs.reduce((sum, p) => sum + p.candles.length, 0);
  const steps = runBacktest(pairs, {
    stakeAmount: effective.stake_amount,
    fee: effective.fee,
    stoploss: effective.stoploss,
    startingBalance: effective.starting_balance,
    timeframeMs: TIMEFRAME_MS[effective.timeframe],
  });
  let step = steps.next();
  let reportedTenth = 0;
  for (let times = 1; !step.done; times++) {
    const tenth = Math.floor((step.value * 10) / total);
    if (tenth > reportedTenth && tenth < 10) {
      reportedTenth = tenth;
      await report(tenth * 10, `${step.value} of ${total} candles processed`);
    }
    if (times % YIELD_EVERY === 0) await yieldToEventLoop();
    step = steps.next();
  }
  const outcome = step.value;
  const metrics = computeMetrics(
    outcome.equityCurve,
    outcome.trades,
    effective.starting_balance,
    TIMEFRAME_MS[effective.timeframe],
    outcome.skippedEntries,
  );
  const returnText = `${(metrics.total_return * 100).toFixed(2)}%`;
  await report(100, `done: ${metrics.trade_count} trades, total return ${returnText}`);
  writeResultAtomically(
    env.resultPath,
    buildResult({ env, verified, resolved, data: loaded.description, outcome, metrics }),
  );
  process.stdout.write(`result written to ${env.resultPath}\n`);
}
