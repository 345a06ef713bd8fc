/**
 * @module `tradai backtest sweep STRATEGY --over KEY[,KEY...]`: one run per point of the grid the
 * catalog gives those parameters, followed with a progress display until every run ended, then one
 * table of points and their results.
 */
import type { ApiClient } from "@tradai/client";
import type { SweepView } from "@tradai/core";
import { Command } from "commander";
import { apiFor, print, wantsJson } from "../context.js";
import { progressDisplay } from "../output/progress.js";
import { formatTable } from "../output/table.js";
import { UsageError } from "../usage-error.js";
import { type RequestOptions, requestConfig, requestOptions } from "./backtest-request.js";

const ENDED = new Set(["completed", "failed", "cancelled"]);

/** Polls the sweep until every run ended, showing how many have. */
async function followSweep(api: ApiClient, sweepId: string, pollMs = 1000): Promise<SweepView> {
  const display = progressDisplay();
  try {
    for (;;) {
      const sweep = await api.getSweep(sweepId);
      display.update(`${sweep.done}/${sweep.total} runs ended`, (100 * sweep.done) / Math.max(1, sweep.total));
      if (sweep.runs.every((r) => ENDED.has(r.status))) return sweep;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    display.done();
  }
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** One row a point: its values, status, and each metric the runs report. */
export function sweepTable(sweep: SweepView): string {
  const metrics = [...new Set(sweep.runs.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  return formatTable([
    [...sweep.over.map((k) => k.toUpperCase()), "STATUS", ...metrics.map((m) => m.toUpperCase()), "PRICES", "JOB_ID"],
    ...sweep.runs.map((r) => [
      ...sweep.over.map((k) => show(r.point[k])),
      r.status,
      ...metrics.map((m) => {
        const v = r.metrics?.[m];
        return typeof v === "number" ? String(Math.round(v * 10_000) / 10_000) : v === undefined ? "-" : show(v);
      }),
      r.data_source ?? "-",
      r.job_id,
    ]),
  ]);
}

export function sweepCommand(): Command {
  const sweep = requestOptions(
    new Command("sweep")
      .description(
        "one backtest per point of the grid of --over (each parameter's allowed values, steps or variants in the catalog now), all sharing one sweep id",
      )
      .argument("<STRATEGY>")
      .requiredOption("--over <keys>", "the catalog parameters to sweep, comma-separated")
      .option("--no-wait", "return as soon as the runs are queued"),
  ).action(
    async (
      strategy: string,
      opts: RequestOptions & { over: string; wait: boolean; env?: string },
      command: Command,
    ) => {
      const over = opts.over
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean);
      if (over.length === 0) throw new UsageError("--over needs at least one parameter name");
      const { config, extra } = requestConfig(strategy, opts);
      const api = apiFor(command);
      const submitted = await api.submitSweep({ config, over, ...extra }, { environment: opts.env });
      if (!wantsJson(command)) {
        process.stderr.write(
          `Sweep ${submitted.sweep_id}: ${submitted.runs.length} run(s) over ${over.join(", ")} ` +
            `(grid of ${submitted.size} from catalog revision ${submitted.catalog_revision})\n`,
        );
        for (const s of submitted.skipped) {
          process.stderr.write(
            `  skipped ${JSON.stringify(s.point)}: ${s.problems.map((p) => p.message).join("; ")}\n`,
          );
        }
      }
      if (!opts.wait) {
        print(command, submitted, () => `Queued; follow it: tradai backtest sweep-show ${submitted.sweep_id}`);
        return;
      }
      const done = await followSweep(api, submitted.sweep_id);
      print(command, done, () => sweepTable(done));
      if (done.runs.some((r) => r.status !== "completed")) process.exitCode = 1;
    },
  );
  return sweep;
}

export function sweepShowCommand(): Command {
  return new Command("sweep-show")
    .description("a sweep's runs: one row a grid point, with status and metrics")
    .argument("<SWEEP_ID>")
    .action(async (sweepId: string, _opts: unknown, command: Command) => {
      const sweep = await apiFor(command).getSweep(sweepId);
      print(
        command,
        sweep,
        () => `Sweep ${sweep.sweep_id} of ${sweep.strategy}: ${sweep.done}/${sweep.total} ended\n${sweepTable(sweep)}`,
      );
    });
}
