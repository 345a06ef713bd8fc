/**
 * @module One claimed run from start to outcome: parameter-set file, worker environment, child
 * process, result into the artifact store, tracking, and the final status.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../../db/database.js";
import { type ArtifactStore, backtestResultKey } from "../../artifacts/artifact-store.js";
import { parameterSetStore } from "../../parameter-sets/store.js";
import type { RunTracker } from "../../tracking/mlflow-tracker.js";
import type { RunRow, RunStore } from "../store.js";
import { dataSourceOf } from "./data-source.js";
import { logSink } from "./log-sink.js";
import { startWorkerProcess } from "./worker-process.js";

export interface RunWorkerOptions {
  db: Database;
  store: RunStore;
  artifacts: ArtifactStore;
  tracker: RunTracker | undefined;
  log: FastifyBaseLogger;
  serverUrl: string;
  workDir: string;
  marketDataDir: string | undefined;
  cancelGraceMs: number;
  launcherId: string;
  run: RunRow;
  token: string;
  /** Why the worker is being stopped, if it is. */
  stopReason: () => string | undefined;
}

const compactDate = (d: unknown) => String(d).replaceAll("-", "");

/** Point 2 of 5: the environment the worker starts with. */
function workerEnvironment(
  run: RunRow,
  values: Record<string, unknown>,
  paths: Record<string, string>,
  o: RunWorkerOptions,
) {
  return {
    JOB_ID: run.job_id,
    STRATEGY: run.strategy_name,
    TRADING_MODE: "backtest",
    ...(run.config_version_id ? { CONFIG_VERSION_ID: run.config_version_id } : {}),
    PARAMETER_SET_HASH: run.parameter_set_hash,
    PARAMETER_SET_PATH: paths.parameterSet as string,
    TIMEFRAME: String(values.timeframe),
    TIMERANGE: `${compactDate(values.start_date)}-${compactDate(values.end_date)}`,
    PAIRS: (values.symbols as string[]).join(","),
    EXPERIMENT_NAME: run.experiment_name ?? "",
    RESULT_PATH: paths.result as string,
    TRADAI_URL: o.serverUrl,
    TRADAI_RUN_TOKEN: o.token,
    ...(o.marketDataDir ? { DATA_DIR: o.marketDataDir } : {}),
  };
}

/** The worker's result must name this run and its parameter set, or it is not this run's result. */
function checkResult(result: unknown, run: RunRow): string | undefined {
  if (typeof result !== "object" || result === null) return "the result is not a JSON object";
  const r = result as Record<string, unknown>;
  if (r.job_id !== run.job_id) return `the result names job ${String(r.job_id)}`;
  if (r.parameter_set_hash !== run.parameter_set_hash)
    return `the result names parameter set ${String(r.parameter_set_hash)}`;
  if (typeof r.metrics !== "object" || r.metrics === null) return "the result has no metrics";
  return undefined;
}

export function runWorker(o: RunWorkerOptions): { terminate(): void; done: Promise<void> } {
  const { run, store, log } = o;
  const runLog = log.child({ job_id: run.job_id });
  const sink = logSink(store, run.job_id, (error) => runLog.error({ err: error }, "could not store log lines"));
  let worker: ReturnType<typeof startWorkerProcess> | undefined;
  let terminateRequested = false;

  async function execute(): Promise<void> {
    const dir = join(o.workDir, run.job_id);
    await mkdir(dir, { recursive: true });
    const stored = await parameterSetStore(o.db).find(run.parameter_set_hash);
    if (!stored) throw new Error(`parameter set ${run.parameter_set_hash} is missing`);
    const paths = { parameterSet: join(dir, "parameter-set.json"), result: join(dir, "result.json") };
    await writeFile(paths.parameterSet, JSON.stringify({ hash: stored.hash, parameter_set: stored.document }, null, 2));
    const env = workerEnvironment(run, stored.document.values, paths, o);
    const command = run.launch_input.command as string[];

    worker = startWorkerProcess(command, env, dir, (line) => sink.write(line));
    if (!(await store.markRunning(run.job_id, o.launcherId, worker.pid))) {
      sink.write({ stream: "launcher", line: "the run was cancelled before its worker started" });
      worker.terminate(0);
      await worker.exited;
      return;
    }
    if (terminateRequested) worker.terminate(o.cancelGraceMs);
    runLog.info({ pid: worker.pid, command }, "worker started");
    const tracking = await startTracking();
    const { code, signal } = await worker.exited;
    await sink.close();

    // The tracking system is brought up to date before the run is marked ended, so a client that
    // sees the run ended also sees its final tracking state.
    const stopReason = o.stopReason();
    if (stopReason) {
      const status = stopReason.startsWith("cancelled") ? "cancelled" : "failed";
      await finishTracking(tracking, "KILLED", {});
      await store.finish(run.job_id, { status, error: stopReason, exitCode: code });
      return;
    }
    if (code !== 0) {
      const detail = worker.lastStderr().at(-1);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      await finishTracking(tracking, "FAILED", {});
      await store.finish(run.job_id, {
        status: "failed",
        error: `worker ${how}${detail ? `: ${detail}` : ""}`,
        exitCode: code,
      });
      return;
    }
    let result: unknown;
    try {
      result = JSON.parse(await readFile(paths.result, "utf8"));
    } catch (error) {
      await finishTracking(tracking, "FAILED", {});
      await store.finish(run.job_id, {
        status: "failed",
        error: `worker exited 0 but left no readable result at RESULT_PATH: ${(error as Error).message}`,
        exitCode: 0,
      });
      return;
    }
    // Point 4 of 5: stored as the worker wrote it, so a trace can catch a worker that got it wrong.
    const location = await o.artifacts.putJson(
      backtestResultKey(run.strategy_name, run.created_at, run.job_id),
      result,
    );
    const problem = checkResult(result, run);
    const r = result as Record<string, unknown>;
    const metrics = (r.metrics ?? null) as Record<string, unknown> | null;
    await finishTracking(tracking, problem ? "FAILED" : "FINISHED", metrics ?? {});
    await store.finish(run.job_id, {
      status: problem ? "failed" : "completed",
      error: problem ? `worker result rejected: ${problem}` : null,
      exitCode: 0,
      workerEnvironment: (r.worker_environment as Record<string, string> | undefined) ?? null,
      resultLocation: location,
      metrics,
      // A rejected result is not this run's, so it says nothing about this run's prices.
      dataSource: problem ? null : dataSourceOf(result),
    });
    await rm(dir, { recursive: true, force: true });
  }

  async function startTracking(): Promise<string | undefined> {
    if (!o.tracker) return undefined;
    try {
      const id = await o.tracker.start({
        experiment: run.experiment_name ?? `tradai/${run.strategy_name}`,
        name: run.job_id,
        tags: run.tags,
        startTime: Date.now(),
      });
      await store.setMlflow(run.job_id, id, null);
      return id;
    } catch (error) {
      runLog.warn({ err: error }, "MLflow tracking failed; the run goes on");
      await store.setMlflow(run.job_id, null, (error as Error).message);
      return undefined;
    }
  }

  async function finishTracking(
    id: string | undefined,
    status: "FINISHED" | "FAILED" | "KILLED",
    metrics: Record<string, unknown>,
  ) {
    if (!o.tracker || !id) return;
    const numeric = Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === "number")) as Record<
      string,
      number
    >;
    try {
      await o.tracker.finish(id, { status, metrics: numeric, endTime: Date.now() });
    } catch (error) {
      await store.setMlflow(run.job_id, null, (error as Error).message);
    }
  }

  const done = execute().catch(async (error) => {
    runLog.error({ err: error }, "launching the run failed");
    worker?.terminate(0);
    await sink.close().catch(() => {});
    await store
      .finish(run.job_id, { status: "failed", error: `launcher error: ${(error as Error).message}` })
      .catch(() => {});
  });
  return {
    terminate() {
      terminateRequested = true;
      worker?.terminate(o.cancelGraceMs);
    },
    done,
  };
}
