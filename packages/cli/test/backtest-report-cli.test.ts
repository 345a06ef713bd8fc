/**
 * `tradai backtest report` and the data source in the CLI's run output, against a real
 * `tradai serve` process whose local launcher runs the reference worker on synthetic candles:
 * the PDF downloaded to the default name or -o, no overwrite without --force, the exit codes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Run } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { pdfText } from "../../../test-support/pdf-text.js";
import { type CliTestServer, runCli, startCliTestServer } from "../../../test-support/server-process.js";

const SYNTHETIC = "synthetic prices: not a market result";

let t: CliTestServer;
let run: Run;
let quickOutput: string;

/** `tradai ...args` against the server, run in `cwd` when given. */
const cli = (args: string[], cwd?: string) => runCli(args, { url: t.server.url, ...(cwd ? { cwd } : {}) });
const ok = (args: string[], cwd?: string) => cli(args, cwd).then((result) => t.ok(result));
/** A fresh, empty directory to run the CLI in. */
const workDir = (name: string) => {
  const dir = join(t.files, name);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  t = await startCliTestServer({ TRADAI_LAUNCHER: "local" });
  // StochRsiStrategy runs the reference worker; with no market data directory, on synthetic candles.
  quickOutput = await ok(["backtest", "quick", "StochRsiStrategy", "--end", "2025-01-15"]);
  const jobId = /^Run ([0-9a-f-]{36}) completed$/m.exec(quickOutput)?.[1] as string;
  run = JSON.parse(await ok(["--json", "backtest", "show", jobId])) as Run;
});
afterAll(() => t?.close());

describe(`tradai backtest report and the data source (${backend})`, () => {
  it("says what the numbers are: the run summary, backtest show and backtest list", async () => {
    expect(run).toMatchObject({ status: "completed", data_source: "synthetic" });
    expect(quickOutput).toMatch(new RegExp(`^data source: +${SYNTHETIC}$`, "m"));
    const shown = await ok(["backtest", "show", run.job_id]);
    expect(shown).toMatch(new RegExp(`^data_source: +${SYNTHETIC}$`, "m"));
    const listed = await ok(["backtest", "list"]);
    expect(listed.split("\n")[1]).toMatch(/PRICES$/);
    expect(listed).toMatch(new RegExp(`^${run.job_id} .* synthetic$`, "m"));
  });

  it("downloads the PDF to tradai-run-<job_id>.pdf in the current directory", async () => {
    const cwd = workDir("default-name");
    const result = await cli(["backtest", "report", run.job_id], cwd);
    const file = join(cwd, `tradai-run-${run.job_id}.pdf`);
    expect(t.ok(result).trim()).toMatch(new RegExp(`^Wrote ${file} \\(\\d+ bytes\\)$`));
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(bytes);
    expect(text).toContain(run.job_id);
    expect(text).toContain("Synthetic prices: not a market result");
  });

  it("-o names the file; an existing file is kept (exit 2) unless --force", async () => {
    const cwd = workDir("named");
    const file = join(cwd, "report.pdf");
    const json = JSON.parse(await ok(["--json", "backtest", "report", run.job_id, "-o", "report.pdf"], cwd));
    expect(json).toEqual({ job_id: run.job_id, file, bytes: readFileSync(file).length });

    writeFileSync(file, "mine");
    const refused = await cli(["backtest", "report", run.job_id, "-o", file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `Error: ${file} already exists; pass --force to overwrite it, or -o to write elsewhere\n`,
    );
    expect(readFileSync(file, "utf8")).toBe("mine");

    await ok(["backtest", "report", run.job_id, "-o", file, "--force"]);
    expect(readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("an unknown run: the server's 404, exit 1 and no file; a bad call: exit 2", async () => {
    const cwd = workDir("unknown");
    const unknown = "00000000-0000-4000-8000-000000000000";
    const result = await cli(["backtest", "report", unknown], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`(HTTP 404): no run ${unknown}`);
    expect(existsSync(join(cwd, `tradai-run-${unknown}.pdf`))).toBe(false);

    const notAnId = await cli(["backtest", "report", "not-a-job"], cwd);
    expect(notAnId.code).toBe(1);
    expect(notAnId.stderr).toContain("(HTTP 422)");
    expect((await cli(["backtest", "report"], cwd)).code).toBe(2);
    const noDirectory = await cli(["backtest", "report", run.job_id, "-o", join(cwd, "missing", "r.pdf")]);
    expect(noDirectory.code).toBe(2);
    expect(noDirectory.stderr).toMatch(/^Error: cannot write .*missing\/r\.pdf: ENOENT/);
  });
});
