/**
 * @module `tradai worker demo`: a paper-trading-shaped loop on the worker library. A decision
 * cycle every second reads the config once; between cycles (it holds no open trade), boundary()
 * applies what changed; each applied change is printed with its latency (from the change's commit
 * to the boundary).
 */
import { type AppliedConfig, createApiClient, createConfigSubscriber } from "@tradai/client";
import { Command, Option } from "commander";
import { apiFor, credentialsFor, type GlobalOptions, print, wantsJson } from "../context.js";
import { mirrorsTable } from "../output/legacy-mirrors.js";
import { formatWorkers } from "../output/workers.js";
import { UsageError } from "../usage-error.js";
import { workerHistoryCommand } from "./worker-history.js";

const positiveInt = (name: string) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(`${name} must be a positive whole number, not "${text}"`);
  return value;
};

function collectLabel(pair: string, all: Record<string, string>): Record<string, string> {
  const eq = pair.indexOf("=");
  if (eq <= 0) throw new UsageError(`--label expects key=value, got "${pair}"`);
  return { ...all, [pair.slice(0, eq)]: pair.slice(eq + 1) };
}

const short = (hash: string | null) => (hash ? hash.slice(0, 12) : "-");

export function describeApplied(applied: AppliedConfig, cycle: number): string {
  const latency =
    applied.event_at === null ? "" : ` latency ${Date.parse(applied.applied_at) - Date.parse(applied.event_at)} ms`;
  const waiting = applied.pending_restart.length
    ? ` (waiting for a restart: ${applied.pending_restart.join(", ")})`
    : "";
  return `cycle ${cycle}: applied ${applied.strategy} ${applied.config_version_id ?? "(none)"} hash ${short(applied.resolved_hash)} seq ${applied.seq}${latency}${waiting}`;
}

export function workerCommand(): Command {
  const worker = new Command("worker")
    .alias("workers")
    .description("workers: who runs which version, what each ran when; a demo worker");
  worker.addCommand(workerHistoryCommand());
  worker
    .command("list")
    .description(
      "every worker with its labels, the version it applied vs the active one, its lag and status (ok, lagging, stale)",
    )
    .addOption(new Option("--env <environment>", "only this environment"))
    .addOption(new Option("--selector <name=value,...>", "only workers whose labels hold every pair, e.g. canary=true"))
    .action(async (opts, command: Command) => {
      const { items, legacy_mirrors } = await apiFor(command).listWorkers({
        environment: opts.env,
        selector: opts.selector,
      });
      // --json stays the workers' array; the legacy mirrors have their own: tradai import mirror list --json.
      const workers = formatWorkers(items, opts.env !== undefined || opts.selector !== undefined);
      print(command, items, () =>
        legacy_mirrors.length === 0
          ? workers
          : `${workers}\n\nlegacy mirrors (tradai import mirror list):\n${mirrorsTable(legacy_mirrors)}`,
      );
    });
  worker
    .command("retire")
    .description(
      "admin: take a worker out of the view and its gauges; its id is free for another credential (its sessions stay)",
    )
    .argument("<WORKER_ID>", "the worker's id")
    .action(async (workerId: string, _opts, command: Command) => {
      const retired = await apiFor(command).retireWorker(workerId);
      print(
        command,
        retired,
        () =>
          `Retired worker ${retired.worker_id} (${retired.environment}, reported by ${retired.reported_by}) at ${retired.retired_at}.`,
      );
    });
  worker
    .command("demo")
    .description("run a paper-trading-shaped loop that applies config changes at cycle boundaries and prints them")
    .requiredOption("--strategy <STRATEGY>", "the strategy to follow")
    .addOption(new Option("--env <environment>", "environment (default: the server's default environment)"))
    .addOption(
      new Option("--mode <mode>", "live refuses to start without the server")
        .choices(["paper", "live"])
        .default("paper"),
    )
    .option("--worker-id <id>", "how the worker reports itself (default: demo-<host pid>)")
    .option("--cycle-ms <ms>", "length of a decision cycle", positiveInt("--cycle-ms"), 1000)
    .option("--cycles <n>", "stop after this many cycles (default: run until interrupted)", positiveInt("--cycles"))
    .option(
      "--code-version <version>",
      "the code version its sessions record (git SHA, image digest or package version)",
    )
    .option("--label <key=value>", "a label of its sessions (repeatable)", collectLabel, {})
    .option(
      "--last-known-good <file>",
      "where the last verified config is kept (default: .tradai/workers/<env>.<worker id>.json)",
    )
    .action(async (opts, command: Command) => {
      const { url } = command.optsWithGlobals<GlobalOptions>();
      const credentials = credentialsFor(command);
      if (!credentials) throw new UsageError("worker demo needs credentials: --token, --user, or tradai login");
      const environment =
        opts.env ??
        (await createApiClient({ baseUrl: url, credentials }).listEnvironments()).items.find((e) => e.is_default)?.name;
      if (!environment) throw new UsageError("the server named no default environment: pass --env");
      const workerId: string = opts.workerId ?? `demo-${process.pid}`;
      const json = wantsJson(command);
      const say = (line: string, record?: unknown) =>
        process.stdout.write(`${json ? JSON.stringify(record ?? { message: line }) : line}\n`);
      const config = createConfigSubscriber({
        url,
        credentials,
        environment,
        strategies: [opts.strategy],
        workerId,
        mode: opts.mode,
        ...(opts.codeVersion ? { codeVersion: opts.codeVersion } : {}),
        ...(Object.keys(opts.label).length > 0 ? { labels: opts.label } : {}),
        ...(opts.lastKnownGood ? { lastKnownGood: opts.lastKnownGood } : {}),
        warn: (message) => process.stderr.write(`worker ${workerId}: ${message}\n`),
      });
      let stopping = false;
      const stop = () => {
        stopping = true;
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await config.start();
      const first = config.current(opts.strategy);
      say(
        `worker ${workerId} (${opts.mode}) runs ${opts.strategy} in ${environment}: ${first.config_version_id ?? "(none)"} hash ${short(first.resolved_hash)}${config.stale ? " STALE (last-known-good copy)" : ""}; session ${config.sessionId(opts.strategy) ?? "(not opened yet)"}`,
        {
          event: "started",
          worker_id: workerId,
          environment,
          stale: config.stale,
          session_id: config.sessionId(opts.strategy),
          config: first,
        },
      );
      let cycle = 0;
      config.onApplied((applied) => say(describeApplied(applied, cycle), { event: "applied", cycle, applied }));
      try {
        while (!stopping && (opts.cycles === undefined || cycle < opts.cycles)) {
          cycle += 1;
          // One decision cycle. A real worker reads config.current(strategy).values here and decides
          // and trades with them; they hold until the cycle ends, whatever arrives meanwhile.
          await new Promise((r) => setTimeout(r, opts.cycleMs));
          // Between cycles, no open trade (the demo holds none): the safe point for hot and between_trades keys.
          config.boundary({ at: "cycle_end", openTrades: 0 });
        }
      } finally {
        await config.stop();
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
      say(`worker ${workerId} stopped after ${cycle} cycles`, { event: "stopped", cycles: cycle });
    });
  return worker;
}
