/**
 * @module One worker child process: started with the run's environment, its stdout/stderr kept
 * line by line as the run's log, stopped with SIGTERM and then SIGKILL after a grace period.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface LogLine {
  stream: "stdout" | "stderr" | "launcher";
  line: string;
}

export interface WorkerProcess {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM now, SIGKILL after `graceMs` if it is still running. */
  terminate(graceMs: number): void;
  /** Last stderr lines, for the run's error message. */
  lastStderr(): string[];
}

const MAX_LINE = 4000;

export function startWorkerProcess(
  command: string[],
  env: Record<string, string>,
  cwd: string,
  onLine: (line: LogLine) => void,
): WorkerProcess {
  const [executable, ...args] = command;
  if (!executable) throw new Error("empty worker command");
  // Only what the worker needs, plus PATH/HOME for a sane process; the server's own secrets stay out.
  const baseEnv: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "LANG", "TZ", "NODE_OPTIONS", "AWS_REGION", "AWS_DEFAULT_REGION"]) {
    const value = process.env[key];
    if (value !== undefined) baseEnv[key] = value;
  }
  const child = spawn(executable, args, { cwd, env: { ...baseEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const stderrTail: string[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    const lines = createInterface({ input: child[stream] });
    lines.on("line", (raw) => {
      const line = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE)}… (${raw.length} chars)` : raw;
      if (stream === "stderr") {
        stderrTail.push(line);
        if (stderrTail.length > 5) stderrTail.shift();
      }
      onLine({ stream, line });
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("error", (error) => {
      onLine({ stream: "launcher", line: `could not start ${executable}: ${error.message}` });
      resolve({ code: 127, signal: null });
    });
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  let killTimer: NodeJS.Timeout | undefined;
  void exited.then(() => clearTimeout(killTimer));
  return {
    pid: child.pid ?? -1,
    exited,
    terminate(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      killTimer.unref();
    },
    lastStderr: () => [...stderrTail],
  };
}
