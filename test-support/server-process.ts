/**
 * @module The platform as a real child process (`tradai serve`), and the `tradai` CLI run as one:
 * what a user runs, with the built packages (run `npm run build` first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { ADMIN_CLI_ENV, TEST_ADMIN_PASSWORD } from "./auth.js";
import { freshDatabaseEnv } from "./backend.js";

export const CLI_BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../packages/cli/bin/tradai.js");

const LISTENING = /TradAI platform listening on (http:\/\/\S+)/;

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (graceful shutdown), then waits for the exit. */
  stop(): Promise<ExitStatus>;
  /** SIGKILL (a crash: nothing is flushed or closed), then waits for the exit. */
  kill(): Promise<ExitStatus>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The parent's environment without TRADAI_* variables (a developer's shell must not leak in), plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("TRADAI_"));
  return { ...Object.fromEntries(inherited), NO_COLOR: "1", ...env };
}

/**
 * Starts `tradai serve` with TRADAI_PORT=0, TRADAI_LOG_LEVEL=warn and TRADAI_CATALOG_PRESET=none unless `env` says otherwise,
 * and resolves once it prints where it listens.
 * @example
 * const server = await startServerProcess(await freshDatabaseEnv());
 * try { ... server.url ... } finally { await server.stop(); }
 */
export async function startServerProcess(
  env: Record<string, string>,
  {
    timeoutMs = 60_000,
    args = ["serve"],
  }: {
    timeoutMs?: number;
    /** what follows `tradai` (a Deployment's container args, say) */
    args?: readonly string[];
  } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: childEnv({
      TRADAI_PORT: "0",
      TRADAI_LOG_LEVEL: "warn",
      TRADAI_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      // An empty catalog unless the test is about the preset (see test-support/platform.ts).
      TRADAI_CATALOG_PRESET: "none",
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  // "close" (not "exit"): by then all of its output has been read.
  const closed = new Promise<ExitStatus>((done) => child.once("close", (code, signal) => done({ code, signal })));
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return closed;
  };

  const url = await new Promise<string>((resolveUrl, reject) => {
    const fail = (why: string) => {
      cleanup();
      void stop("SIGKILL").then(() => reject(new Error(`tradai serve ${why}; its output:\n${output}`)));
    };
    const onData = () => {
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        cleanup();
        resolveUrl(match[1]);
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal})`);
    const onError = (error: Error) => {
      cleanup(); // no process, so nothing to wait for
      reject(new Error(`tradai serve could not be started: ${error.message}`));
    };
    const timer = setTimeout(() => fail(`did not report listening within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("close", onExit);
      child.off("error", onError);
    };
    child.stdout?.on("data", onData);
    child.once("close", onExit);
    child.once("error", onError);
  });

  return {
    url,
    process: child,
    output: () => output,
    stop: () => stop("SIGTERM"),
    kill: () => stop("SIGKILL"),
  };
}

/** Removes the temporary directory that holds a freshDatabaseEnv()'s PGlite data directory, if it has one. */
export function removeDataDir(env: Record<string, string>): void {
  if (env.TRADAI_DATA_DIR) rmSync(dirname(env.TRADAI_DATA_DIR), { recursive: true, force: true });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tradai [--url <url>] ...args` and resolves when it exits (never rejects on a non-zero exit).
 * It acts as the test admin (TRADAI_USER/TRADAI_PASSWORD) unless `env` gives other credentials.
 * @example
 * const { code, stdout } = await runCli(["config", "list", "StochRsiStrategy"], { url: server.url });
 */
export async function runCli(
  args: readonly string[],
  { url, env = {}, input, cwd }: { url?: string; env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const ownCredentials = "TRADAI_USER" in env || "TRADAI_TOKEN" in env;
  const child = spawn(process.execPath, [CLI_BIN, ...(url ? ["--url", url] : []), ...args], {
    env: childEnv({ ...(ownCredentials ? {} : ADMIN_CLI_ENV), ...env }),
    stdio: ["pipe", "pipe", "pipe"],
    ...(cwd ? { cwd } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(input);
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

/** The exit code of a governed command whose change became a change request (exit-codes.ts). */
export const EXIT_PROPOSED = 3;

/** Exit code 0 (or `code`), or fail showing what the CLI printed (and the server's output if it has died). */
export function expectSuccess(result: CliResult, server: ServerProcess, code = 0): string {
  const { exitCode, signalCode } = server.process;
  const died =
    exitCode !== null || signalCode !== null ? `\nserver exited (${exitCode ?? signalCode}):\n${server.output()}` : "";
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}${died}`).toBe(code);
  return result.stdout;
}

export interface CliTestServer {
  server: ServerProcess;
  /** A temporary directory for the test's own files (removed by close). */
  files: string;
  /** Runs `tradai ...args` against the server. */
  cli(...args: string[]): Promise<CliResult>;
  /** Exit 0 expected; returns stdout. */
  ok(result: CliResult): string;
  /** Exit 3 expected (a change request was opened instead of the change); returns stdout. */
  proposed(result: CliResult): string;
  close(): Promise<void>;
}

/**
 * A `tradai serve` process on a fresh database of this backend, without a launcher, with its own
 * work and artifact directories; for CLI tests.
 */
export async function startCliTestServer(env: Record<string, string> = {}): Promise<CliTestServer> {
  const files = mkdtempSync(join(tmpdir(), "tradai-cli-"));
  const databaseEnv = await freshDatabaseEnv();
  const server = await startServerProcess({
    ...databaseEnv,
    TRADAI_LAUNCHER: "none",
    TRADAI_WORK_DIR: join(files, "work"),
    TRADAI_ARTIFACTS_DIR: join(files, "artifacts"),
    ...env,
  });
  return {
    server,
    files,
    cli: (...args) => runCli(args, { url: server.url }),
    ok: (result) => expectSuccess(result, server),
    proposed: (result) => expectSuccess(result, server, EXIT_PROPOSED),
    /** Stops the server, which must shut down cleanly (exit 0), and removes its data and files. */
    async close() {
      const status = await server.stop();
      expect(status.code, server.output()).toBe(0);
      removeDataDir(databaseEnv);
      rmSync(files, { recursive: true, force: true });
    },
  };
}
