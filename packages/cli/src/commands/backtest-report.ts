/** @module `tradai backtest report JOB [-o FILE] [--force]`: downloads a run's PDF report. */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { UsageError } from "../usage-error.js";

/** The file name the server suggests too (`content-disposition`). */
export const defaultReportFile = (jobId: string) => `tradai-run-${jobId}.pdf`;

const refuseOverwrite = (path: string) =>
  new UsageError(`${path} already exists; pass --force to overwrite it, or -o to write elsewhere`);

export function backtestReportCommand(): Command {
  return new Command("report")
    .description("download the run's PDF report (identity, prices, parameters, metrics, equity curve)")
    .argument("<JOB_ID>")
    .option("-o, --output <file>", "where to write it (default: tradai-run-<JOB_ID>.pdf in the current directory)")
    .option("--force", "overwrite the file if it exists")
    .action(async (jobId: string, opts: { output?: string; force?: boolean }, command: Command) => {
      const path = resolve(opts.output ?? defaultReportFile(jobId));
      if (!opts.force && existsSync(path)) throw refuseOverwrite(path);
      const pdf = await apiFor(command).runReportPdf(jobId);
      try {
        // `wx` creates the file or fails, so a file that appeared meanwhile is not overwritten either.
        await writeFile(path, pdf, { flag: opts.force ? "w" : "wx" });
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        throw code === "EEXIST" ? refuseOverwrite(path) : new UsageError(`cannot write ${path}: ${message}`);
      }
      print(
        command,
        { job_id: jobId, file: path, bytes: pdf.byteLength },
        () => `Wrote ${path} (${pdf.byteLength} bytes)`,
      );
    });
}
