/** @module The options of a backtest request on the command line (quick, sweep), and the request they make. */
import type { SubmitBacktestBody } from "@tradai/core";
import { type Command, Option } from "commander";
import { UsageError } from "../usage-error.js";

export interface RequestOptions {
  configVersion?: string;
  symbols: string;
  timeframe?: string;
  start: string;
  end: string;
  stake?: string;
  exchange: string;
  taskDefinition?: string;
  experiment?: string;
  priority?: string;
  param: Record<string, unknown>;
  allowDeprecated?: string;
  env?: string;
}

/** `--param key=value`: the value is read as JSON when it parses (numbers, booleans), else as text. */
function collectParam(pair: string, all: Record<string, unknown>): Record<string, unknown> {
  const eq = pair.indexOf("=");
  if (eq <= 0) throw new UsageError(`--param expects key=value, got "${pair}"`);
  const [key, raw] = [pair.slice(0, eq), pair.slice(eq + 1)];
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {}
  return { ...all, [key]: value };
}

export function requestOptions(command: Command): Command {
  return command
    .option("--config-version <id>", "a config version id, or ACTIVE for the environment's active version (also -cv)")
    .option("--symbols <list>", "comma-separated pairs", "BTC/USDT:USDT")
    .option("--timeframe <tf>", "candle timeframe (default: the config version's; 1h without one)")
    .option("--start <date>", "first day, YYYY-MM-DD", "2025-01-01")
    .option("--end <date>", "end day, YYYY-MM-DD", "2025-02-01")
    .option("--stake <amount>", "stake per trade (default: the config version's; 1000 without one)")
    .option("--exchange <name>", "exchange", "binance_futures")
    .option("--task-definition <name>", "what the launcher runs (default: the strategy's worker)")
    .option("--experiment <name>", "experiment name")
    .option("--priority <n>", "queue priority 0-100 (higher first)")
    .option("--param <key=value>", "a strategy parameter (repeatable)", collectParam, {})
    .option(
      "--allow-deprecated <keys:reason>",
      "run deprecated values of these parameters on purpose: comma-separated keys, a colon, why",
    )
    .addOption(new Option("--env <environment>", "environment (default: the server's default environment)"));
}

/** The request's config and the rest of its body from the options. @throws UsageError */
export function requestConfig(
  strategy: string,
  opts: RequestOptions,
): { config: SubmitBacktestBody["config"]; extra: Omit<SubmitBacktestBody, "config"> } {
  const bound = opts.configVersion !== undefined;
  // Without a config version nothing else can supply these, so the CLI does; with one, the
  // version's values must not be overridden by CLI defaults.
  const timeframe = opts.timeframe ?? (bound ? undefined : "1h");
  const stake = opts.stake ?? (bound ? undefined : "1000");
  const stakeAmount = stake === undefined ? undefined : Number(stake);
  if (stakeAmount !== undefined && !Number.isFinite(stakeAmount)) throw new UsageError("--stake must be a number");
  let allow: SubmitBacktestBody["allow_deprecated"];
  if (opts.allowDeprecated !== undefined) {
    const colon = opts.allowDeprecated.indexOf(":");
    const keys = opts.allowDeprecated
      .slice(0, colon < 0 ? undefined : colon)
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean);
    const reason = colon < 0 ? "" : opts.allowDeprecated.slice(colon + 1).trim();
    if (keys.length === 0 || reason === "") {
      throw new UsageError('--allow-deprecated expects keys and a reason: "pte_policy:reproduce incident 673"');
    }
    allow = { keys, reason };
  }
  // The server judges the timeframe (and every value) against the catalog; the CLI passes it on.
  const config = {
    ...opts.param,
    strategy,
    symbols: String(opts.symbols)
      .split(",")
      .map((s: string) => s.trim())
      .filter(Boolean),
    start_date: opts.start,
    end_date: opts.end,
    exchange: opts.exchange,
    ...(timeframe !== undefined ? { timeframe } : {}),
    ...(stakeAmount !== undefined ? { stake_amount: stakeAmount } : {}),
    ...(opts.taskDefinition ? { task_definition: opts.taskDefinition } : {}),
    ...(bound ? { config_version_id: opts.configVersion } : {}),
  } as SubmitBacktestBody["config"];
  return {
    config,
    extra: {
      ...(opts.experiment ? { experiment_name: opts.experiment } : {}),
      ...(opts.priority !== undefined ? { priority: Number(opts.priority) } : {}),
      ...(allow ? { allow_deprecated: allow } : {}),
    },
  };
}
