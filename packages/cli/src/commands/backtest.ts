/** @module `tradai backtest quick|list|show|logs|cancel|trace|rerun|report|sweep|sweep-show`. */
import type { RunStatus, SubmitBacktestBody } from "@tradai/core";
import { type Command, Option } from "commander";
import { apiFor, print, wantsJson } from "../context.js";
import { CommandGroup } from "../help/command-group.js";
import { runDetails, runTable, traceTable } from "../output/runs.js";
import { backtestReportCommand } from "./backtest-report.js";
import { type RequestOptions, requestConfig, requestOptions } from "./backtest-request.js";
import { sweepCommand, sweepShowCommand } from "./sweep.js";
import { runSummary, waitForRun } from "./wait-for-run.js";

async function finish(command: Command, jobId: string, wait: boolean): Promise<void> {
  const api = apiFor(command);
  if (!wait) {
    print(command, await api.getRun(jobId), () => `Queued ${jobId} (follow it: tradai backtest show ${jobId})`);
    return;
  }
  const run = await waitForRun(api, jobId);
  print(command, run, () => runSummary(run));
  if (run.status !== "completed") process.exitCode = 1;
}

export function backtestCommand(): Command {
  const backtest = new CommandGroup("backtest", "backtests");

  requestOptions(
    backtest
      .command("quick")
      .description("submit a backtest and follow it to the end")
      .argument("<STRATEGY>")
      .option("--no-wait", "return as soon as the run is queued"),
  ).action(async (strategy: string, opts: RequestOptions & { wait: boolean }, command: Command) => {
    const { config, extra } = requestConfig(strategy, opts);
    const body: SubmitBacktestBody = { config, ...extra };
    const submitted = await apiFor(command).submitBacktest(body, { environment: opts.env });
    if (!wantsJson(command)) {
      const merged = submitted.merged_from_config_version;
      process.stderr.write(
        `Submitted ${submitted.job_id}` +
          (submitted.config_version_id
            ? ` with config version ${submitted.config_version_id}`
            : " without a config version") +
          (merged.length ? ` (from it: ${merged.join(", ")})` : "") +
          `\nparameter set ${submitted.parameter_set_hash}\n`,
      );
    }
    await finish(command, submitted.job_id, opts.wait);
  });

  backtest
    .command("list")
    .description("list runs, newest first")
    .option("--strategy <name>")
    .addOption(new Option("--status <status>").choices(["queued", "running", "completed", "failed", "cancelled"]))
    .option("--config-version <id>", "runs bound to this config version")
    .option("--parameter-set <hash>", "runs sharing this parameter set")
    .option("--experiment <name>")
    .option("--limit <n>", "at most this many", "50")
    .option("--offset <n>", "skip this many", "0")
    .action(async (opts, command: Command) => {
      const page = await apiFor(command).listRuns({
        strategy: opts.strategy,
        status: opts.status as RunStatus | undefined,
        config_version_id: opts.configVersion,
        parameter_set_hash: opts.parameterSet,
        experiment: opts.experiment,
        limit: Number(opts.limit),
        offset: Number(opts.offset),
      });
      print(command, page, () =>
        page.items.length === 0
          ? "no runs"
          : `${page.total} run(s)\n${runTable(page.items)}${page.next_offset !== null ? `\n(more: --offset ${page.next_offset})` : ""}`,
      );
    });

  backtest
    .command("show")
    .description("one run with its metrics")
    .argument("<JOB_ID>")
    .action(async (jobId: string, _opts, command: Command) => {
      const run = await apiFor(command).getRun(jobId);
      print(command, run, () => runDetails(run));
    });

  backtest
    .command("logs")
    .description("the worker's output")
    .argument("<JOB_ID>")
    .option("--follow", "keep printing until the run ends")
    .action(async (jobId: string, opts, command: Command) => {
      const api = apiFor(command);
      let after = 0;
      for (;;) {
        const page = await api.runLogs(jobId, { after });
        for (const l of page.lines) {
          process.stdout.write(
            wantsJson(command)
              ? `${JSON.stringify(l)}\n`
              : `${l.stream === "stdout" ? "" : `[${l.stream}] `}${l.line}\n`,
          );
          after = l.line_no;
        }
        if (page.next_after !== null) continue;
        if (!opts.follow) return;
        const run = await api.getRun(jobId);
        if (["completed", "failed", "cancelled"].includes(run.status)) {
          const rest = await api.runLogs(jobId, { after });
          for (const l of rest.lines)
            process.stdout.write(`${l.stream === "stdout" ? "" : `[${l.stream}] `}${l.line}\n`);
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    });

  backtest
    .command("cancel")
    .description("cancel a queued or running run")
    .argument("<JOB_ID>")
    .action(async (jobId: string, _opts, command: Command) => {
      const run = await apiFor(command).cancelRun(jobId);
      print(command, run, () =>
        run.status === "cancelled" ? `Cancelled ${jobId}` : `Cancel requested: the worker of ${jobId} is being stopped`,
      );
    });

  backtest
    .command("trace")
    .description("check the five propagation points of config version and parameter set (exit 1 if they disagree)")
    .argument("<JOB_ID>")
    .action(async (jobId: string, _opts, command: Command) => {
      const trace = await apiFor(command).traceRun(jobId);
      print(command, trace, () => traceTable(trace));
      if (!trace.consistent) process.exitCode = 1;
    });

  backtest
    .command("rerun")
    .description("run again with exactly the same parameter set")
    .argument("<JOB_ID>")
    .option("--no-wait", "return as soon as the run is queued")
    .action(async (jobId: string, opts, command: Command) => {
      const submitted = await apiFor(command).rerun(jobId);
      if (!wantsJson(command)) process.stderr.write(`Re-running ${jobId} as ${submitted.job_id}\n`);
      await finish(command, submitted.job_id, opts.wait);
    });

  backtest.addCommand(sweepCommand());
  backtest.addCommand(sweepShowCommand());
  backtest.addCommand(backtestReportCommand());
  return backtest;
}
