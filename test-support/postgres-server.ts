/**
 * @module A throwaway PostgreSQL server for the test suite and benchmarks: initdb + postgres from
 * /usr/lib/postgresql/<version>/bin in a temporary directory, on a free loopback port. PostgreSQL
 * refuses to run as root, so as root the server runs as the `postgres` system user.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresServer {
  /** Connection URL of the maintenance database `postgres` */
  url: string;
  stop(): Promise<void>;
  /** Stops the server and keeps its data (fast: SIGINT; immediate: SIGQUIT, a crash), for start(). */
  halt(mode?: "fast" | "immediate"): Promise<void>;
  /** Starts a halted server again, on the same data and port. */
  start(): Promise<void>;
  /** SIGSTOP to every process of the server (it accepts connections and answers nothing)... */
  freeze(): void;
  /** ...and SIGCONT. */
  thaw(): void;
}

function findBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) {
    throw new Error(
      "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install them (apt-get install -y postgresql) " +
        "or point TRADAI_TEST_POSTGRES_URL at a server",
    );
  }
  if (Number(versions[0]) < 15) throw new Error(`PostgreSQL ${versions[0]} found; 15 or newer is needed`);
  return join(root, versions[0], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** uid/gid to run the server as: the `postgres` user when we are root, ourselves otherwise. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections in 30 s: ${error}\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findBinDir();
  const dir = mkdtempSync(join(tmpdir(), "tradai-pg-"));
  const dataDir = join(dir, "data");
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  const passwordFile = join(dir, "pw");
  writeFileSync(passwordFile, "tradai\n");
  if (user) chownSync(passwordFile, user.uid, user.gid);
  execFileSync(
    join(bin, "initdb"),
    ["-D", dataDir, "-U", "tradai", "--pwfile", passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"],
    { ...user, stdio: "pipe", cwd: dir },
  );
  const port = await freePort();
  let output = "";
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      join(bin, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `unix_socket_directories=${dir}`,
        "-c",
        "max_connections=200",
        "-c",
        "fsync=on",
      ],
      { ...user, stdio: ["ignore", "pipe", "pipe"], cwd: dir },
    );
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    await waitUntilReady(url, child, () => output);
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    }
  };
  /** The postmaster and its children (backends, writer, ...): what a freeze must stop. */
  const family = (): number[] => {
    const pid = child.pid;
    if (pid === undefined) return [];
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
    return [pid, ...children];
  };
  const url = `postgresql://tradai:tradai@127.0.0.1:${port}/postgres`;
  await launch();
  return {
    url,
    async stop() {
      await halt("SIGINT"); // fast shutdown
      rmSync(dir, { recursive: true, force: true });
    },
    halt: (mode = "fast") => halt(mode === "fast" ? "SIGINT" : "SIGQUIT"),
    start: launch,
    freeze() {
      for (const pid of family()) process.kill(pid, "SIGSTOP");
    },
    thaw() {
      for (const pid of family()) process.kill(pid, "SIGCONT");
    },
  };
}

/** A new, empty database on the server; returns its URL. */
export async function createDatabase(serverUrl: string, prefix = "tradai_test"): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
