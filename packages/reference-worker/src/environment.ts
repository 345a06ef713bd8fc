/** @module The launch environment: identity and paths only; parameters come from the parameter set. */
import { WorkerError } from "./errors.js";

/** Variables recorded in the result as the worker saw them (never the token or the server URL). */
export const RECORDED_VARIABLES = [
  "JOB_ID",
  "STRATEGY",
  "TRADING_MODE",
  "CONFIG_VERSION_ID",
  "PARAMETER_SET_HASH",
  "PARAMETER_SET_PATH",
  "TIMEFRAME",
  "TIMERANGE",
  "PAIRS",
  "EXPERIMENT_NAME",
  "RESULT_PATH",
  "DATA_DIR",
] as const;

export interface WorkerEnvironment {
  jobId: string;
  strategy: string;
  configVersionId: string | undefined;
  parameterSetHash: string | undefined;
  parameterSetPath: string | undefined;
  resultPath: string;
  dataDir: string | undefined;
  /** Absent URL or token: progress is not reported (the run still completes). */
  tradaiUrl: string | undefined;
  runToken: string | undefined;
  /** The RECORDED_VARIABLES that were set (even if empty), verbatim, in that order. */
  recorded: Record<string, string>;
}

type Env = Record<string, string | undefined>;

/** Empty strings count as unset: a launcher that exports `CONFIG_VERSION_ID=` means "none". */
function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

function required(env: Env, name: string): string {
  const value = read(env, name);
  if (value === undefined) throw new WorkerError(`launch environment incomplete: ${name} is not set`);
  return value;
}

export function readWorkerEnvironment(env: Env): WorkerEnvironment {
  const mode = read(env, "TRADING_MODE");
  if (mode !== undefined && mode !== "backtest") {
    throw new WorkerError(`TRADING_MODE=${mode}: the reference worker only runs backtests`);
  }
  const recorded: Record<string, string> = {};
  for (const name of RECORDED_VARIABLES) {
    const value = env[name]; // verbatim, empty strings included: this is what the worker saw
    if (value !== undefined) recorded[name] = value;
  }
  return {
    jobId: required(env, "JOB_ID"),
    strategy: required(env, "STRATEGY"),
    configVersionId: read(env, "CONFIG_VERSION_ID"),
    parameterSetHash: read(env, "PARAMETER_SET_HASH"),
    parameterSetPath: read(env, "PARAMETER_SET_PATH"),
    resultPath: required(env, "RESULT_PATH"),
    dataDir: read(env, "DATA_DIR"),
    tradaiUrl: read(env, "TRADAI_URL"),
    runToken: read(env, "TRADAI_RUN_TOKEN"),
    recorded,
  };
}
