/**
 * @module `tradai import runs`: runs from before the migration registered as legacy runs (marked
 * legacy everywhere, judged by no comparison, never re-run). A dry run unless --apply.
 */

import { resolve } from "node:path";
import { DEFAULT_LEGACY_RUNS_SHAPE, type LegacyRunsImportResult, type LegacyRunsShape } from "@tradai/core";
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { withoutPassword } from "../import/legacy-db-source.js";
import { readResultsBucket, readResultsDir, readRunsDatabase, readRunsExport } from "../import/legacy-runs-source.js";
import { formatTable } from "../output/table.js";
import { UsageError } from "../usage-error.js";

const SHOWN = 20;
const BATCH = 2_000;

function mergedResult(batches: LegacyRunsImportResult[]): LegacyRunsImportResult {
  const first = batches[0] as LegacyRunsImportResult;
  if (batches.length === 1) return first;
  const runs = batches.flatMap((b) => b.runs);
  const registered = batches.reduce((n, b) => n + b.registered, 0);
  const outcomes = new Set(batches.map((b) => b.outcome));
  const outcome = outcomes.has("applied") ? "applied" : outcomes.has("planned") ? "planned" : "unchanged";
  return {
    ...first,
    outcome,
    runs,
    registered,
    already: runs.length - registered,
    summary: `${registered} legacy run(s) ${outcome === "applied" ? "registered" : "to register"} in ${first.environment}, ${runs.length - registered} registered already (${batches.length} batches)`,
  };
}

function resultText(result: LegacyRunsImportResult): string {
  const head =
    result.outcome === "planned"
      ? "DRY RUN: nothing was written; run again with --apply to register them"
      : result.outcome === "applied"
        ? "APPLIED: registered as legacy runs"
        : "UNCHANGED: registered already";
  const rows = result.runs.length > SHOWN ? result.runs.slice(0, SHOWN) : result.runs;
  return [
    head,
    result.summary,
    formatTable([
      ["LEGACY_ID", "STRATEGY", "ACTION", "RUN", "PARAMETER_SET"],
      ...rows.map((r) => [r.legacy_id, r.strategy, r.action, r.job_id ?? "-", r.parameter_set_hash.slice(0, 12)]),
    ]),
    ...(result.runs.length > SHOWN ? [`(${result.runs.length - SHOWN} more; --json shows all)`] : []),
  ].join("\n");
}

export function runsImportCommand(): Command {
  const d = DEFAULT_LEGACY_RUNS_SHAPE;
  return new Command("runs")
    .description(
      "register runs from before the migration (finetune_runs rows, or the results bucket) as legacy runs: marked legacy, judged by no comparison, never re-run; a dry run unless --apply",
    )
    .option("--legacy-url <url>", "read the run table from this PostgreSQL database")
    .option("--file <file>", 'read a JSON export of the run table: [rows] or {"finetune_runs": [rows]}')
    .option("--results <url>", "read result files s3://bucket/prefix/<STRATEGY>/<DATE>/<JOB_ID>.json")
    .option("--s3-endpoint <url>", "an S3-compatible endpoint for --results (default: AWS)")
    .option("--results-dir <dir>", "read result files DIR/<STRATEGY>/<DATE>/<JOB_ID>.json")
    .option("--strategy <name>", "the strategy of every row (where the table has no strategy column)")
    .option("--table <name>", "the run table", d.table)
    .option("--id-column <name>", "each run's id", d.idColumn)
    .option("--strategy-column <name>", "its strategy", d.strategyColumn)
    .option("--params-column <name>", "its parameters (JSON)", d.paramsColumn)
    .option("--metrics-column <name>", "its metrics (JSON)", d.metricsColumn)
    .option("--status-column <name>", "its status", d.statusColumn)
    .option("--started-column <name>", "when it started", d.startedColumn)
    .option("--finished-column <name>", "when it ended", d.finishedColumn)
    .option("--author-column <name>", "who ran it", d.authorColumn)
    .option("--env <environment>", "where they ran (default: the server's default)")
    .option("--apply", "register them (default: show the plan and write nothing)")
    .action(async (opts, cmd: Command) => {
      const given = [opts.legacyUrl, opts.file, opts.results, opts.resultsDir].filter(Boolean);
      if (given.length !== 1) {
        throw new UsageError("give exactly one source: --legacy-url, --file, --results or --results-dir");
      }
      const shape: LegacyRunsShape = {
        table: opts.table,
        idColumn: opts.idColumn,
        strategyColumn: opts.strategyColumn,
        paramsColumn: opts.paramsColumn,
        metricsColumn: opts.metricsColumn,
        statusColumn: opts.statusColumn,
        startedColumn: opts.startedColumn,
        finishedColumn: opts.finishedColumn,
        authorColumn: opts.authorColumn,
      };
      const runs = opts.file
        ? readRunsExport(opts.file, shape, opts.strategy)
        : opts.legacyUrl
          ? await readRunsDatabase(opts.legacyUrl, shape, opts.strategy)
          : opts.results
            ? await readResultsBucket(opts.results, opts.s3Endpoint)
            : readResultsDir(opts.resultsDir);
      const source = opts.legacyUrl
        ? `${withoutPassword(opts.legacyUrl)} (${shape.table})`
        : opts.results
          ? opts.results
          : resolve(opts.file ?? opts.resultsDir); // one file is one source, however it was named
      process.stderr.write(`read ${runs.length} legacy run(s) from ${source}\n`);
      if (runs.length === 0) throw new UsageError(`${source} holds no run`);
      // In batches: each is one governed change, so a long history never holds the environment for long.
      const batches: LegacyRunsImportResult[] = [];
      for (let from = 0; from < runs.length; from += BATCH) {
        batches.push(
          await apiFor(cmd).importLegacyRuns({
            ...(opts.env ? { environment: opts.env } : {}),
            source,
            runs: runs.slice(from, from + BATCH),
            apply: opts.apply === true,
          }),
        );
        if (runs.length > BATCH)
          process.stderr.write(`${Math.min(from + BATCH, runs.length)} of ${runs.length} run(s)\n`);
      }
      const result = mergedResult(batches);
      print(cmd, result, () => resultText(result));
    });
}
