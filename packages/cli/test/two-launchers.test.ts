/**
 * Several `tradai launcher` processes sharing one run queue. On PostgreSQL: two launchers next to
 * a server that launches nothing itself share the queue without ever starting a run twice, and
 * when one is killed, the survivor fails the runs it held (their lease lapsed) and carries on
 * with the queue. PGlite is one process per data directory, so there a second process is refused.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Run } from "@tradai/core";
import { type Database, openPostgresDatabase } from "@tradai/server";
import { afterAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import { FIXTURE_BACKTEST } from "../../../test-support/backtest-requests.js";
import { eventually, FIXTURE_TASKS } from "../../../test-support/platform.js";
import {
  CLI_BIN,
  type ExitStatus,
  removeDataDir,
  runCli,
  type ServerProcess,
  startServerProcess,
} from "../../../test-support/server-process.js";

const ENDED = ["completed", "failed", "cancelled"];

/** A fixture run of FixtureStrategy (no config version). */
const fixtureRun = (params: Record<string, unknown>) => ({ config: { ...FIXTURE_BACKTEST, ...params } });

interface LauncherProcess {
  /** The id it claims runs under (`claimed_by`), as it printed it. */
  id: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM (graceful), then waits for the exit. */
  stop(): Promise<ExitStatus>;
  /** SIGKILL (a crash), then waits for the exit. */
  kill(): Promise<ExitStatus>;
}

/** Starts `tradai --url <serverUrl> launcher` with exactly `env` as its TRADAI_* settings. */
async function startLauncher(serverUrl: string, env: Record<string, string>): Promise<LauncherProcess> {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("TRADAI_"));
  const child = spawn(process.execPath, [CLI_BIN, "--url", serverUrl, "launcher"], {
    env: { ...Object.fromEntries(inherited), NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const closed = new Promise<ExitStatus>((done) => child.once("close", (code, signal) => done({ code, signal })));
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
  }
  let exited = false;
  void closed.then(() => {
    exited = true;
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return closed;
  };
  try {
    const id = await eventually(
      async () => {
        if (exited) throw new Error(`tradai launcher exited; its output:\n${output}`);
        return /^TradAI launcher (\S+) running \(concurrency \d+\)$/m.exec(output)?.[1];
      },
      "the launcher to report it runs",
      60_000,
    );
    return { id, process: child, output: () => output, stop: () => stop("SIGTERM"), kill: () => stop("SIGKILL") };
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (backend === "postgres") {
  describe("two launcher processes sharing one PostgreSQL run queue", () => {
    let server: ServerProcess | undefined;
    let db: Database | undefined;
    let dirs = "";
    let databaseEnv: Record<string, string> = {};
    const launchers: LauncherProcess[] = [];
    /** Workers of a launcher killed with SIGKILL keep running: they are stopped by pid. */
    const orphans: number[] = [];

    afterAll(async () => {
      for (const pid of orphans) if (processAlive(pid)) process.kill(pid, "SIGKILL");
      for (const launcher of launchers) await launcher.kill();
      await server?.stop();
      await db?.close();
      if (dirs) rmSync(dirs, { recursive: true, force: true });
    });

    async function setUp(): Promise<ServerProcess> {
      databaseEnv = await freshDatabaseEnv();
      dirs = mkdtempSync(join(tmpdir(), "tradai-two-launchers-"));
      server = await startServerProcess({
        ...databaseEnv,
        TRADAI_LAUNCHER: "none", // only the launcher processes run anything
        TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS,
        TRADAI_WORK_DIR: join(dirs, "server-work"),
        TRADAI_ARTIFACTS_DIR: join(dirs, "artifacts"),
      });
      db = await openPostgresDatabase(databaseEnv.TRADAI_DATABASE_URL as string, 2);
      return server;
    }

    async function launcher(name: string, leaseSeconds: number): Promise<LauncherProcess> {
      const started = await startLauncher((server as ServerProcess).url, {
        ...databaseEnv,
        TRADAI_LOG_LEVEL: "info",
        TRADAI_TASK_DEFINITIONS: FIXTURE_TASKS,
        TRADAI_RUN_CONCURRENCY: "2",
        TRADAI_RUN_LEASE_SECONDS: String(leaseSeconds),
        TRADAI_CANCEL_GRACE_SECONDS: "1",
        TRADAI_WORK_DIR: join(dirs, `${name}-work`),
        TRADAI_ARTIFACTS_DIR: join(dirs, "artifacts"),
      });
      launchers.push(started);
      return started;
    }

    async function submit(params: Record<string, unknown>): Promise<string> {
      const response = await adminFetch(`${server?.url}/api/v1/backtests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(fixtureRun(params)),
      });
      const body = (await response.json()) as { job_id: string };
      expect(response.status, JSON.stringify(body)).toBe(202);
      return body.job_id;
    }

    async function getRun(jobId: string): Promise<Run> {
      const response = await adminFetch(`${server?.url}/api/v1/backtests/${jobId}`);
      expect(response.status).toBe(200);
      return (await response.json()) as Run;
    }

    const allReach = (jobIds: string[], statuses: string[], what: string) =>
      eventually(
        async () => {
          const runs = await Promise.all(jobIds.map(getRun));
          return runs.every((r) => statuses.includes(r.status)) ? runs : undefined;
        },
        what,
        60_000,
      );

    /** Who holds each run, and the worker it started, straight from the runs table. */
    async function claims(jobIds: string[]) {
      const { rows } = await (db as Database).query<{
        job_id: string;
        claimed_by: string | null;
        attempts: number;
        worker_pid: number | null;
      }>("SELECT job_id, claimed_by, attempts, worker_pid FROM runs WHERE job_id = ANY($1) ORDER BY job_id", [jobIds]);
      expect(rows).toHaveLength(jobIds.length);
      return rows;
    }

    /** The job ids a launcher's log says it started a worker for. */
    function startedBy(l: LauncherProcess): string[] {
      return l
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { msg?: string; job_id?: string })
        .filter((entry) => entry.msg === "worker started" && entry.job_id)
        .map((entry) => entry.job_id as string);
    }

    it("share the queue: every run completes once, both launchers take part; a killed launcher's runs are failed by the survivor, which carries on", {
      timeout: 240_000,
    }, async () => {
      await setUp();

      // Part 1: a burst of short runs, two launchers of two slots each.
      const [first, second] = [await launcher("first", 30), await launcher("second", 30)];
      expect(first.id).not.toBe(second.id);
      const burst: string[] = [];
      for (let i = 0; i < 16; i++) burst.push(await submit({ fixture_mode: "ok", fixture_seconds: 0.3, index: i }));
      const done = await allReach(burst, ENDED, "the burst of 16 runs to end");
      expect(done.filter((r) => r.status !== "completed").map((r) => `${r.job_id}: ${r.status} ${r.error}`)).toEqual(
        [],
      );
      expect(done.map((r) => r.attempts)).toEqual(Array(16).fill(1));

      const held = await claims(burst);
      expect(held.map((r) => r.attempts)).toEqual(Array(16).fill(1));
      expect(new Set(held.map((r) => r.claimed_by))).toEqual(new Set([first.id, second.id]));
      // Each launcher's own log agrees with the queue: it started exactly the runs it claimed, once.
      for (const l of [first, second]) {
        const claimed = held.filter((r) => r.claimed_by === l.id).map((r) => r.job_id);
        expect(startedBy(l).sort()).toEqual(claimed);
      }
      // And each worker started once: one greeting line per run log.
      for (const jobId of burst) {
        const response = await adminFetch(`${server?.url}/api/v1/backtests/${jobId}/logs`);
        const { lines } = (await response.json()) as { lines: { line: string }[] };
        expect(lines.filter((l) => l.line.startsWith("fixture worker ")).map((l) => l.line)).toEqual([
          `fixture worker ${jobId} mode=ok`,
        ]);
      }

      for (const l of [first, second]) expect(await l.stop(), l.output()).toEqual({ code: 0, signal: null });

      // Part 2: short leases; four sleeping runs fill both launchers' slots, three more wait.
      const [doomed, survivor] = [await launcher("doomed", 2), await launcher("survivor", 2)];
      const sleeping: string[] = [];
      for (let i = 0; i < 4; i++) sleeping.push(await submit({ fixture_mode: "sleep", index: i }));
      await allReach(sleeping, ["running"], "four sleeping runs to run");
      const holders = await claims(sleeping);
      const doomedRuns = holders.filter((r) => r.claimed_by === doomed.id);
      const survivorRuns = holders.filter((r) => r.claimed_by === survivor.id);
      expect([doomedRuns.length, survivorRuns.length]).toEqual([2, 2]);
      const waiting: string[] = [];
      for (let i = 0; i < 3; i++) waiting.push(await submit({ fixture_mode: "ok", index: 100 + i }));

      expect((await doomed.kill()).signal).toBe("SIGKILL");
      for (const r of doomedRuns) if (r.worker_pid !== null) orphans.push(r.worker_pid);

      const reaped = await allReach(
        doomedRuns.map((r) => r.job_id),
        ENDED,
        "the survivor to fail the killed launcher's runs",
      );
      for (const run of reaped) {
        expect(run.status).toBe("failed");
        expect(run.error).toMatch(
          new RegExp(
            `^launcher ${escapeRegExp(doomed.id)} stopped renewing its lease at .*; the worker's outcome is unknown$`,
          ),
        );
      }
      const warned = await eventually(async () => {
        const lines = survivor.output().split("\n");
        const found = doomedRuns.map((r) =>
          lines.some((l) => l.includes("stopped renewing its lease") && l.includes(r.job_id)),
        );
        return found.every(Boolean) ? found : undefined;
      }, "the survivor to log the runs it failed");
      expect(warned).toEqual([true, true]);
      for (const pid of orphans) if (processAlive(pid)) process.kill(pid, "SIGKILL");

      // The survivor's own sleeping runs still hold its slots; cancelling them frees the slots.
      for (const r of survivorRuns) {
        const response = await adminFetch(`${server?.url}/api/v1/backtests/${r.job_id}/cancel`, { method: "POST" });
        expect(response.status).toBe(200);
      }
      const cancelled = await allReach(
        survivorRuns.map((r) => r.job_id),
        ENDED,
        "the survivor's runs to be cancelled",
      );
      expect(cancelled.map((r) => r.status)).toEqual(["cancelled", "cancelled"]);

      // The queue goes on: the waiting runs complete on the survivor, each started once.
      const carriedOn = await allReach(waiting, ENDED, "the waiting runs to end on the survivor");
      expect(carriedOn.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
      const waitingHeld = await claims(waiting);
      expect(waitingHeld.map((r) => [r.claimed_by, r.attempts])).toEqual(Array(3).fill([survivor.id, 1]));

      expect(await survivor.stop(), survivor.output()).toEqual({ code: 0, signal: null });
    });
  });
} else {
  describe("a launcher process on an embedded (PGlite) data directory", () => {
    let databaseEnv: Record<string, string> = {};
    let server: ServerProcess | undefined;
    let dirs = "";
    afterAll(async () => {
      await server?.stop();
      removeDataDir(databaseEnv);
      if (dirs) rmSync(dirs, { recursive: true, force: true });
    });

    it("is refused while a server holds the directory: PGlite is one process per data directory", async () => {
      databaseEnv = await freshDatabaseEnv();
      dirs = mkdtempSync(join(tmpdir(), "tradai-two-launchers-"));
      const env = { TRADAI_WORK_DIR: join(dirs, "work"), TRADAI_ARTIFACTS_DIR: join(dirs, "artifacts") };
      server = await startServerProcess({ ...databaseEnv, ...env });

      const second = await runCli(["launcher"], { url: server.url, env: { ...databaseEnv, ...env } });
      expect(second.code, second.stderr).toBe(1);
      expect(second.stdout).toBe("");
      expect(second.stderr).toMatch(
        new RegExp(
          `^tradai launcher: cannot start: the data directory ${escapeRegExp(databaseEnv.TRADAI_DATA_DIR ?? "")} is in use by process ${server.process.pid}; `,
        ),
      );

      // The server was not disturbed.
      const stillServing = await adminFetch(`${server.url}/api/v1/backtests`);
      expect(stillServing.status).toBe(200);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    });
  });
}
