/**
 * @module The platform the Lighthouse audits run against: `tradai serve` as a child process (the
 * built CLI, as a user runs it), with the demo data on an embedded PGlite data directory in a
 * temporary directory, on a free port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The first admin's password on the audited platform (TRADAI_ADMIN_PASSWORD). */
export const LIGHTHOUSE_ADMIN_PASSWORD = "lighthouse-admin-password-0";

const LISTENING = /TradAI platform listening on (http:\/\/\S+)/;

export interface AuditedServer {
  url: string;
  /** SIGTERM, waits for the exit, removes the temporary directory. */
  stop(): Promise<void>;
}

/** Starts `tradai serve` with demo data; `repo` is the repository root (found from this file by default). */
export async function startAuditedServer(repo = findRepo(), timeoutMs = 60_000): Promise<AuditedServer> {
  const dir = mkdtempSync(join(tmpdir(), "tradai-lighthouse-"));
  // A developer's TRADAI_* settings (a database URL, say) must not leak in.
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("TRADAI_"));
  const child = spawn(process.execPath, [join(repo, "packages/cli/bin/tradai.js"), "serve"], {
    env: {
      ...Object.fromEntries(inherited),
      NO_COLOR: "1",
      TRADAI_PORT: "0",
      TRADAI_LOG_LEVEL: "warn",
      TRADAI_DEMO_DATA: "true",
      TRADAI_ADMIN_PASSWORD: LIGHTHOUSE_ADMIN_PASSWORD,
      TRADAI_DATA_DIR: join(dir, "data"),
      TRADAI_WORK_DIR: join(dir, "work"),
      TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const closed = new Promise<void>((done) => child.once("close", () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await closed;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { url: await listeningUrl(child, timeoutMs), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  let output = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`tradai serve did not listen within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const url = LISTENING.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.resume(); // keep draining so a chatty server never blocks on a full pipe
        child.stdout?.resume();
        done(url);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`tradai serve exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

/** The repository root: bench/lighthouse/ from the source (vitest), bench/dist/bench/lighthouse/ compiled. */
function findRepo(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  return resolve(here, here.includes("/bench/dist/") ? "../../../.." : "../..");
}
