/**
 * @module Platform replicas for the propagation benchmark: `tradai serve` as real child
 * processes (each in its own process group) on one PostgreSQL database, with their log lines of
 * level warn and above kept so the report can say what went wrong.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { killGroup } from "./rpc.js";
import { PROBE_FLAGS } from "./settled-memory.js";

// Compiled to bench/dist/bench/propagation/.
const CLI_BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../packages/cli/bin/tradai.js");
const LISTENING = /TradAI platform listening on (http:\/\/\S+)/;

export interface Replica {
  url: string;
  pid: number;
  /** Log lines of level warn (40) or above, and anything on stderr. */
  problems(): string[];
  /** SIGTERM; SIGKILL to its process group if it has not exited after 10 s. */
  stop(): Promise<{ seconds: number; killed: boolean }>;
  /** SIGKILL (a crash), then waits for the exit. */
  kill(): Promise<void>;
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("TRADAI_"));
  // BENCH_REPLICA_PROFILE=DIR: each replica writes a V8 CPU profile there when it exits.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_REPLICA_PROFILE
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_REPLICA_PROFILE}`]
        : []),
      // BENCH_REPLICA_NODE_FLAGS: V8 flags for the replicas, e.g. "--max-semi-space-size=64".
      ...(process.env.BENCH_REPLICA_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      // Answers SIGUSR2 with its memory after a full collection (memory-probe.ts).
      ...PROBE_FLAGS,
      CLI_BIN,
      "serve",
    ],
    {
      env: { ...Object.fromEntries(inherited), NO_COLOR: "1", TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const exited = new Promise<void>((done) => child.once("close", () => done()));
  let stdout = "";
  const problems: string[] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const lines = stdout.split("\n");
    stdout = lines.pop() ?? "";
    for (const line of lines) {
      // Alerts about the simulated workers of earlier runs (stopped, so stale or behind) are the
      // monitor doing its job on a shared database, not a problem of this run.
      if (line.includes('"alert":{"kind":"worker_')) continue;
      if (/"level":(4|5|6)0/.test(line) && problems.length < 200) problems.push(line);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    if (problems.length < 200) problems.push(`stderr: ${chunk.trim()}`);
  });
  let seen = "";
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`tradai serve did not start in 60 s: ${seen}`)), 60_000);
    child.stdout?.on("data", function onData(chunk: string) {
      seen += chunk;
      const match = LISTENING.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolveUrl(match[1]);
      }
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`tradai serve exited (${code}): ${seen}${problems.join("\n")}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    problems: () => [...problems],
    async kill() {
      if (child.exitCode === null && child.signalCode === null) killGroup(child);
      await exited;
    },
    async stop() {
      const started = performance.now();
      if (child.exitCode !== null || child.signalCode !== null) return { seconds: 0, killed: false };
      child.kill("SIGTERM");
      // A profiled replica writes its profile as it exits, which takes a while.
      const patience = process.env.BENCH_REPLICA_PROFILE ? 120_000 : 10_000;
      const timeout = new Promise<void>((done) => setTimeout(done, patience).unref());
      await Promise.race([exited, timeout]);
      const killed = child.exitCode === null && child.signalCode === null;
      killGroup(child);
      await exited;
      return { seconds: (performance.now() - started) / 1000, killed };
    },
  };
}
