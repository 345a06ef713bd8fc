/**
 * The `tradai backtest` and `tradai runs` commands against a real `tradai serve` process that
 * launches real workers: the seed verification guide's steps 4-5 as written (CLI and curl), the
 * five propagation points, the result file in the artifact store, rerun, diff, list, logs, show,
 * cancel, and the failures with their exit codes.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParameterSetDiff, ParameterSetResponse, Run, RunTrace } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import { eventually, FIXTURE_TASKS } from "../../../test-support/platform.js";
import {
  type CliResult,
  expectSuccess,
  removeDataDir,
  runCli,
  type ServerProcess,
  startServerProcess,
} from "../../../test-support/server-process.js";

// The guide's data, and its config id worked out independently of core (RFC 8785 text, SHA-256).
const SEED_DATA = '{"timeframe":"1h","stoploss":-0.02,"stake_amount":150}';
const SEED_ID = `v1-${createHash("sha256").update('{"stake_amount":150,"stoploss":-0.02,"timeframe":"1h"}').digest("hex").slice(0, 8)}`;
const STRATEGY = "StochRsiStrategy";

/** The guide's step 4 curl body, as written. */
const CURL_ACTIVE = `{
  "config": {
    "strategy": "StochRsiStrategy",
    "symbols": ["BTC/USDT:USDT"],
    "timeframe": "1h",
    "start_date": "2025-01-01",
    "end_date": "2025-02-01",
    "stake_amount": 1000.0,
    "exchange": "binance_futures",
    "config_version_id": "ACTIVE"
  },
  "experiment_name": "config-version-test"
}`;

/** The guide's backward-compatibility curl body (step 5), as written: no config_version_id. */
const CURL_NO_VERSION = `{
  "config": {
    "strategy": "StochRsiStrategy",
    "symbols": ["BTC/USDT:USDT"],
    "timeframe": "1h",
    "start_date": "2025-01-01",
    "end_date": "2025-02-01",
    "stake_amount": 1000.0,
    "exchange": "binance_futures",
    "task_definition": "tradai-strategy-stochrsi-dev"
  },
  "experiment_name": "backward-compat-test"
}`;

const ENDED = ["completed", "failed", "cancelled"];

let server: ServerProcess;
let databaseEnv: Record<string, string>;
let dirs: string;
let artifactsDir: string;

const cli = (...args: string[]) => runCli(args, { url: server.url });

const ok = (result: CliResult) => expectSuccess(result, server);

async function getJson<T>(path: string): Promise<T> {
  const response = await adminFetch(server.url + path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function postSeedBody(body: string): Promise<{ job_id: string; parameter_set_hash: string }> {
  const response = await adminFetch(`${server.url}/api/v1/backtests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const answer = await response.json();
  expect(response.status, JSON.stringify(answer)).toBe(202);
  return answer as { job_id: string; parameter_set_hash: string };
}

const getRun = (jobId: string) => getJson<Run>(`/api/v1/backtests/${jobId}`);
const getParameterSet = (hash: string) => getJson<ParameterSetResponse>(`/api/v1/parameter-sets/${hash}`);

const ended = (jobId: string) =>
  eventually(async () => {
    const run = await getRun(jobId);
    return ENDED.includes(run.status) ? run : undefined;
  }, `run ${jobId} to end`);

/** A `key: value` line of the run summary or `backtest show`. */
function field(stdout: string, key: string): string | undefined {
  return new RegExp(`^${key}:\\s+(.*)$`, "m").exec(stdout)?.[1];
}

/** The run summary's first line: `Run <job_id> <status>[: error]`. */
function summaryJob(stdout: string): string {
  const match = /^Run ([0-9a-f-]{36}) /m.exec(stdout);
  if (!match?.[1]) throw new Error(`no run summary in:\n${stdout}`);
  return match[1];
}

interface LogEntry {
  msg: string;
  request_id?: string;
  merged?: string[];
}

/** The server's pino JSON log entries written after `mark` (a length of its output), whole lines only. */
function serverLog(mark: number): LogEntry[] {
  const lines = server.output().slice(mark).split("\n").slice(0, -1); // the last one may still be arriving
  return lines.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as LogEntry;
      return typeof entry.msg === "string" ? [entry] : [];
    } catch {
      return []; // not a log entry (the start-up banner), or a line cut by `mark`
    }
  });
}

/** Waits for the log entry whose message starts with `prefix`, written after `mark`. */
const logged = (mark: number, prefix: string) =>
  eventually(async () => serverLog(mark).find((e) => e.msg.startsWith(prefix)), `server log "${prefix}..."`, 10_000);

/** The table rows of `backtest trace` output, by point name. */
function traceRows(stdout: string): Map<string, string[]> {
  const lines = stdout.split("\n");
  const header = lines.findIndex((l) => l.startsWith("POINT "));
  const rows = lines.slice(header + 1).filter((l) => /^[a-z_]+ {2,}/.test(l));
  return new Map(rows.map((l) => l.split(/\s{2,}/)).map((cells) => [cells[0] as string, cells.slice(1)]));
}

/** The parameter set's value and provenance of one key. */
async function parameter(hash: string, key: string) {
  const { parameter_set } = await getParameterSet(hash);
  return { value: parameter_set.values[key], from: parameter_set.provenance[key] };
}

/** The result file at backtests/<strategy>/<YYYY-MM-DD>/<job_id>.json under the artifact directory. */
function resultFile(run: Run): Record<string, unknown> {
  const day = run.created_at.slice(0, 10);
  expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const path = join(artifactsDir, "backtests", STRATEGY, day, `${run.job_id}.json`);
  expect(run.result_location).toBe(path);
  expect(existsSync(path), path).toBe(true);
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** `backtest trace` exits 0, every point agrees and shows `version` (or "(none)") and the hash. */
async function expectTraceAgrees(run: Run, version: string): Promise<void> {
  const out = ok(await cli("backtest", "trace", run.job_id));
  expect(out.trim().split("\n").at(-1)).toBe("all points agree");
  const rows = traceRows(out);
  expect([...rows.keys()]).toEqual(["launch_input", "worker_environment", "run_record", "result_json", "tags"]);
  for (const [point, [agrees, configVersion, hash]] of rows) {
    expect([point, agrees, configVersion, hash]).toEqual([point, "yes", version, run.parameter_set_hash.slice(0, 12)]);
  }
}

beforeAll(async () => {
  databaseEnv = await freshDatabaseEnv();
  dirs = mkdtempSync(join(tmpdir(), "tradai-backtest-cli-"));
  artifactsDir = join(dirs, "artifacts");
  server = await startServerProcess({
    ...databaseEnv,
    TRADAI_LOG_LEVEL: "info", // the guide's "Resolved 'ACTIVE' ..." and "Merged ..." lines are info
    TRADAI_WORK_DIR: join(dirs, "work"),
    TRADAI_ARTIFACTS_DIR: artifactsDir,
    TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS,
    TRADAI_CANCEL_GRACE_SECONDS: "2",
  });
  // The guide's steps 1-2 (covered in detail by config-cli.test.ts).
  expect(ok(await cli("config", "create", STRATEGY, "--data", SEED_DATA))).toMatch(new RegExp(`^Created ${SEED_ID}\n`));
  ok(await cli("config", "activate", STRATEGY, SEED_ID));
});

afterAll(async () => {
  const status = await server?.stop();
  expect(status?.code, server?.output()).toBe(0);
  removeDataDir(databaseEnv);
  if (dirs) rmSync(dirs, { recursive: true, force: true });
});

describe(`tradai backtest against a server process (${backend})`, () => {
  it("step 4 with --config-version ACTIVE: resolves, merges the version's stoploss under the explicit stake, completes", async () => {
    const mark = server.output().length;
    const result = await cli("backtest", "quick", STRATEGY, "--config-version", "ACTIVE", "--stake", "1000");
    const out = ok(result);
    const jobId = summaryJob(out);
    expect(out.split("\n")[0]).toBe(`Run ${jobId} completed`);
    expect(field(out, "config version")).toBe(SEED_ID);
    const hash = field(out, "parameter set") ?? "";
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Without --timeframe the version's timeframe is taken too; the explicit stake is not.
    expect(result.stderr).toMatch(
      new RegExp(
        `^Submitted ${jobId} with config version ${SEED_ID} \\(from it: (stoploss, timeframe|timeframe, stoploss)\\)$`,
        "m",
      ),
    );
    expect(result.stderr).toContain(`parameter set ${hash}\n`);
    expect(result.stderr).toMatch(/^completed 100%/m); // the progress display

    const resolved = await logged(mark, "Resolved 'ACTIVE'");
    expect(resolved.msg).toBe(`Resolved 'ACTIVE' to config version: ${SEED_ID}`);
    const merged = await logged(mark, "Merged config_data defaults");
    expect(merged.request_id).toBe(resolved.request_id);
    expect(merged.msg).toMatch(new RegExp(`^Merged config_data defaults from ${SEED_ID}: \\[.*'stoploss'.*\\]$`));
    expect(merged.msg).not.toContain("stake_amount");

    // Step 5: stoploss from the version, stake_amount from the request.
    expect(await parameter(hash, "stoploss")).toEqual({ value: -0.02, from: "config_version" });
    expect(await parameter(hash, "stake_amount")).toEqual({ value: 1000, from: "request" });
    expect((await getParameterSet(hash)).parameter_set.config_version_id).toBe(SEED_ID);

    const run = await getRun(jobId);
    expect(run).toMatchObject({
      status: "completed",
      config_version_id: SEED_ID,
      parameter_set_hash: hash,
      attempts: 1,
    });
    await expectTraceAgrees(run, SEED_ID);
    const file = resultFile(run);
    expect(file).toMatchObject({ job_id: jobId, config_version_id: SEED_ID, parameter_set_hash: hash });
    expect(file.metrics).toEqual(run.metrics);

    const logs = ok(await cli("backtest", "logs", jobId));
    expect(logs).toContain("[  0%] StochRsiStrategy backtest of BTC/USDT:USDT 1h 2025-01-01..2025-02-01");
    expect(logs).toMatch(/^\[100%\] /m);
    expect(ok(await cli("backtest", "logs", jobId, "--follow"))).toBe(logs); // an ended run: prints and returns

    const shown = JSON.parse(ok(await cli("--json", "backtest", "show", jobId))) as Run;
    expect(shown).toMatchObject({ job_id: jobId, status: "completed", config_version_id: SEED_ID });
    expect(shown.metrics).toEqual(run.metrics);
    const human = ok(await cli("backtest", "show", jobId));
    expect([field(human, "status"), field(human, "config_version"), field(human, "parameter_set")]).toEqual([
      "completed",
      SEED_ID,
      hash,
    ]);
  });

  it("step 4 with -cv ACTIVE and the guide's curl body: exactly ['stoploss'] merged, one parameter set", async () => {
    // The same values as the guide's curl body (which gives timeframe explicitly).
    let mark = server.output().length;
    const viaCli = ok(
      await cli("backtest", "quick", STRATEGY, "-cv", "ACTIVE", "--stake", "1000", "--timeframe", "1h"),
    );
    const cliJob = summaryJob(viaCli);
    expect(field(viaCli, "config version")).toBe(SEED_ID);
    expect((await logged(mark, "Resolved 'ACTIVE'")).msg).toBe(`Resolved 'ACTIVE' to config version: ${SEED_ID}`);
    expect((await logged(mark, "Merged config_data")).msg).toBe(
      `Merged config_data defaults from ${SEED_ID}: ['stoploss']`,
    );

    mark = server.output().length;
    const submitted = await postSeedBody(CURL_ACTIVE);
    expect(submitted).toMatchObject({ config_version_id: SEED_ID, merged_from_config_version: ["stoploss"] });
    expect((await logged(mark, "Resolved 'ACTIVE'")).msg).toBe(`Resolved 'ACTIVE' to config version: ${SEED_ID}`);
    const merged = await logged(mark, "Merged config_data");
    expect(merged.msg).toBe(`Merged config_data defaults from ${SEED_ID}: ['stoploss']`);
    expect(merged.merged).toEqual(["stoploss"]);

    // Same values, same provenance, same version: the same parameter set (the experiment is not a parameter).
    expect(submitted.parameter_set_hash).toBe(field(viaCli, "parameter set"));
    expect(await parameter(submitted.parameter_set_hash, "stoploss")).toEqual({ value: -0.02, from: "config_version" });
    expect(await parameter(submitted.parameter_set_hash, "stake_amount")).toEqual({ value: 1000, from: "request" });

    const run = await ended(submitted.job_id);
    expect(run).toMatchObject({ status: "completed", experiment_name: "config-version-test" });
    expect(run.metrics).toEqual((await getRun(cliJob)).metrics);
    await expectTraceAgrees(run, SEED_ID);
    expect(resultFile(run).config_version_id).toBe(SEED_ID);
  });

  it("step 4 with the explicit config id: no ACTIVE resolution, the same parameter set as ACTIVE gives", async () => {
    const mark = server.output().length;
    const out = ok(await cli("backtest", "quick", STRATEGY, "--config-version", SEED_ID, "--stake", "1000"));
    const run = await getRun(summaryJob(out));
    expect(run).toMatchObject({ status: "completed", config_version_id: SEED_ID });
    expect((await logged(mark, "Merged config_data")).msg).toMatch(
      new RegExp(`^Merged config_data defaults from ${SEED_ID}: `),
    );
    expect(serverLog(mark).filter((e) => e.msg.startsWith("Resolved"))).toEqual([]);

    const viaActive = ok(await cli("--json", "backtest", "quick", STRATEGY, "-cv", "ACTIVE", "--stake", "1000"));
    expect((JSON.parse(viaActive) as Run).parameter_set_hash).toBe(run.parameter_set_hash);
    expect(await parameter(run.parameter_set_hash, "stoploss")).toEqual({ value: -0.02, from: "config_version" });
    expect(await parameter(run.parameter_set_hash, "stake_amount")).toEqual({ value: 1000, from: "request" });
    await expectTraceAgrees(run, SEED_ID);
    expect(resultFile(run)).toMatchObject({ config_version_id: SEED_ID, parameter_set_hash: run.parameter_set_hash });
  });

  it("step 5, backward compatibility: without a version (CLI and the guide's curl body) runs complete with no version anywhere", async () => {
    const mark = server.output().length;
    const result = await cli("backtest", "quick", STRATEGY);
    const out = ok(result);
    expect(result.stderr).toMatch(/^Submitted [0-9a-f-]{36} without a config version\n/);
    expect(field(out, "config version")).toBe("(none)");
    const viaCli = await getRun(summaryJob(out));

    const submitted = await postSeedBody(CURL_NO_VERSION);
    expect(submitted).not.toHaveProperty("config_version_id");
    expect(submitted).toMatchObject({ merged_from_config_version: [] });
    const viaCurl = await ended(submitted.job_id);
    expect(viaCurl).toMatchObject({ status: "completed", experiment_name: "backward-compat-test" });

    for (const run of [viaCli, viaCurl]) {
      expect(run.status).toBe("completed");
      expect(run).not.toHaveProperty("config_version_id");
      expect(run.tags).not.toHaveProperty("config_version_id");
      const { parameter_set } = await getParameterSet(run.parameter_set_hash);
      expect(parameter_set).not.toHaveProperty("config_version_id");
      expect(parameter_set.values).not.toHaveProperty("stoploss"); // nothing merged from the active version
      expect(await parameter(run.parameter_set_hash, "stake_amount")).toEqual({ value: 1000, from: "request" });
      await expectTraceAgrees(run, "(none)");
      const trace = JSON.parse(ok(await cli("--json", "backtest", "trace", run.job_id))) as RunTrace;
      expect(trace.consistent).toBe(true);
      expect(trace.points.map((p) => [p.present, p.config_version_id])).toEqual(Array(5).fill([true, null]));
      const file = resultFile(run);
      expect(file).not.toHaveProperty("config_version_id");
      expect(file.parameter_set_hash).toBe(run.parameter_set_hash);
    }
    expect(serverLog(mark).filter((e) => /^(Resolved|Merged) /.test(e.msg))).toEqual([]);
  });

  it("rerun gives identical metrics; list --parameter-set lists every run sharing the parameter set", async () => {
    // A parameter set of its own (data_seed), so the list holds exactly this test's runs.
    const args = [
      "--json",
      "backtest",
      "quick",
      STRATEGY,
      "-cv",
      "ACTIVE",
      "--stake",
      "1000",
      "--param",
      "data_seed=7",
    ];
    const original = JSON.parse(ok(await cli(...args))) as Run;
    expect(original.status).toBe("completed");
    expect(original.metrics).toMatchObject({ trade_count: expect.any(Number), total_return: expect.any(Number) });
    expect(await parameter(original.parameter_set_hash, "data_seed")).toEqual({ value: 7, from: "request" });

    const rerunResult = await cli("--json", "backtest", "rerun", original.job_id);
    const rerun = JSON.parse(ok(rerunResult)) as Run;
    expect(rerun).toMatchObject({
      status: "completed",
      rerun_of: original.job_id,
      parameter_set_hash: original.parameter_set_hash,
      config_version_id: SEED_ID,
    });
    expect(rerun.job_id).not.toBe(original.job_id);
    expect(rerun.metrics).toEqual(original.metrics);
    const shown = JSON.parse(ok(await cli("--json", "backtest", "show", original.job_id))) as Run;
    expect(shown.metrics).toEqual(rerun.metrics);

    const human = await cli("backtest", "rerun", original.job_id);
    expect(human.stderr).toMatch(new RegExp(`^Re-running ${original.job_id} as [0-9a-f-]{36}$`, "m"));
    const third = summaryJob(ok(human));
    expect(field(human.stdout, "parameter set")).toBe(original.parameter_set_hash);

    const listed = JSON.parse(
      ok(await cli("--json", "backtest", "list", "--parameter-set", original.parameter_set_hash)),
    ) as { items: Run[]; total: number };
    expect(listed.total).toBe(3);
    expect(listed.items.map((r) => r.job_id).sort()).toEqual([original.job_id, rerun.job_id, third].sort());
    const table = ok(await cli("backtest", "list", "--parameter-set", original.parameter_set_hash));
    expect(table.split("\n")[0]).toBe("3 run(s)");
    for (const jobId of [original.job_id, rerun.job_id, third]) {
      expect(table).toMatch(
        new RegExp(
          `^${jobId} +COMPLETED +100% +${STRATEGY} +${SEED_ID} +${original.parameter_set_hash.slice(0, 12)} `,
          "m",
        ),
      );
    }
  });

  it("runs diff between runs on two versions that differ only in stoploss lists exactly that key", async () => {
    const created = ok(
      await cli("config", "create", STRATEGY, "--data", '{"timeframe":"1h","stoploss":-0.03,"stake_amount":150}'),
    );
    const v2 = /^Created (v2-[0-9a-f]{8})\n/.exec(created)?.[1] ?? "";
    expect(v2, created).not.toBe("");
    const onV1 = summaryJob(ok(await cli("backtest", "quick", STRATEGY, "-cv", SEED_ID, "--stake", "1000")));
    const onV2 = summaryJob(ok(await cli("backtest", "quick", STRATEGY, "-cv", v2, "--stake", "1000")));

    const diff = JSON.parse(ok(await cli("--json", "runs", "diff", onV1, onV2))) as ParameterSetDiff;
    expect(diff).toMatchObject({ added: {}, removed: {}, changed: { stoploss: { old: -0.02, new: -0.03 } } });
    expect(Object.keys(diff.changed)).toEqual(["stoploss"]);
    expect(diff.context).toEqual({
      config_version_id: { old: SEED_ID, new: v2 },
      config_hash: { old: expect.stringMatching(/^[0-9a-f]{64}$/), new: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });

    const human = ok(await cli("runs", "diff", onV1, onV2));
    // The parameter diff, then (after a blank line) the metrics side by side.
    const lines = (human.trim().split("\n\n")[0] ?? "").split("\n");
    expect(lines.slice(0, 2)).toEqual([`A ${onV1} (${SEED_ID})`, `B ${onV2} (${v2})`]);
    const rows = lines.slice(3).map((l) => l.split(/\s{2,}/));
    expect(lines[2]?.split(/\s{2,}/)).toEqual(["KEY", "CHANGE", "A", "B"]);
    // Parameter keys, then the context (version, config hash) in parentheses.
    expect(rows.filter((r) => !r[0]?.startsWith("("))).toEqual([["stoploss", "changed", "-0.02", "-0.03"]]);
    expect(rows.filter((r) => r[0]?.startsWith("(")).map((r) => r[0])).toEqual([
      "(config_version_id)",
      "(config_hash)",
    ]);

    const same = ok(await cli("runs", "diff", onV1, onV1));
    expect(same.trim().split("\n\n")[0]?.split("\n").at(-1)).toBe("the two parameter sets have the same values");
  });

  it("cancels a long-running run: the worker is stopped and the run ends cancelled", async () => {
    const queued = ok(
      await cli(
        "backtest",
        "quick",
        STRATEGY,
        "--task-definition",
        "fixture",
        "--param",
        "fixture_mode=sleep",
        "--no-wait",
      ),
    );
    const jobId = /^Queued ([0-9a-f-]{36}) \(follow it: tradai backtest show \1\)$/m.exec(queued)?.[1] ?? "";
    expect(jobId, queued).not.toBe("");
    await eventually(async () => ((await getRun(jobId)).status === "running" ? true : undefined), `${jobId} to run`);

    const cancelled = ok(await cli("backtest", "cancel", jobId));
    expect(cancelled.trim()).toBe(`Cancel requested: the worker of ${jobId} is being stopped`);
    const run = await ended(jobId);
    expect(run).toMatchObject({ status: "cancelled", error: "cancelled while running" });
    expect(ok(await cli("backtest", "logs", jobId))).toContain(`fixture worker ${jobId} mode=sleep`);

    const again = await cli("backtest", "cancel", jobId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error: Conflict \(HTTP 409\): .*already ended \(cancelled\)/);
  });

  it("exits 1 when the run fails, showing the worker's error", async () => {
    const result = await cli(
      "backtest",
      "quick",
      STRATEGY,
      "--task-definition",
      "fixture",
      "--param",
      "fixture_mode=fail",
    );
    expect(result.code, result.stderr).toBe(1);
    const jobId = summaryJob(result.stdout);
    expect(result.stdout.split("\n")[0]).toBe(
      `Run ${jobId} failed: worker exited with code 4: fixture failure: the strategy blew up`,
    );
    expect(result.stderr).toMatch(/^failed /m);
  });

  it("refuses an unknown version, ACTIVE where nothing is active, and a backwards date range (exit 1), queuing nothing", async () => {
    const count = async () => (await getJson<{ total: number }>(`/api/v1/backtests?strategy=${STRATEGY}`)).total;
    const before = await count();

    const unknown = await cli("backtest", "quick", STRATEGY, "-cv", "v99-00000000");
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(
      /^Error: Not found \(HTTP 404\): strategy "StochRsiStrategy" has no config version "v99-00000000"$/m,
    );

    const inactive = await cli("backtest", "quick", STRATEGY, "-cv", "ACTIVE", "--env", "prod");
    expect(inactive.code).toBe(1);
    expect(inactive.stderr).toMatch(
      /^Error: Conflict \(HTTP 409\): strategy "StochRsiStrategy" has no active config version in prod; /m,
    );

    const backwards = await cli("backtest", "quick", STRATEGY, "--start", "2025-02-01", "--end", "2025-01-01");
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toMatch(/^Error: Invalid input \(HTTP 422\): /);
    expect(backwards.stderr).toMatch(/^ {2}- --start: config\.start_date \(body\): must be before end_date$/m);

    const badStake = await cli("backtest", "quick", STRATEGY, "--stake", "lots");
    expect(badStake.code).toBe(2);
    expect(badStake.stderr).toContain("--stake must be a number");

    expect(await count()).toBe(before);
  });

  it("exits 1 with a 404 for an unknown job (trace, show, logs, rerun)", async () => {
    const jobId = "00000000-0000-4000-8000-000000000000";
    for (const command of ["trace", "show", "logs", "rerun"]) {
      const result = await cli("backtest", command, jobId);
      expect(result.code, command).toBe(1);
      expect(result.stderr, command).toContain(`(HTTP 404): no run ${jobId}`);
    }
  });
});
