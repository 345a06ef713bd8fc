/**
 * @module The Python library next to the TypeScript one: 100 Python subscribers (clients/python)
 * and 100 TypeScript subscribers (@tradai/client), each fleet in its own process with a trading
 * loop calling boundary() every 5 ms, on one `tradai serve` over PostgreSQL, receiving the same
 * activations. Measures commit -> applied per worker and change (the commit: when this process's
 * LISTEN connection hears the change's NOTIFY; applied: when boundary() returned it), as p50/p99.
 * Writes bench/results/subscribers.json and .md. Run with `npm run bench:subscribers`.
 * BENCH_SUBSCRIBERS (100), BENCH_CHANGES (30), BENCH_SPACING_MS (1000) change the run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createDatabase, startPostgresServer } from "../test-support/postgres-server.js";
import { BENCH_ADMIN_PASSWORD, benchFetch, machine, percentile, post, RESULTS_DIR, round } from "./lib/harness.js";
import { listenForCommits } from "./propagation/commits.js";
import { startReplica } from "./propagation/replicas.js";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 30);
const SPACING_MS = Number(process.env.BENCH_SPACING_MS ?? 1000);
const LOOP_MS = 5;
const STRATEGY = "SubscriberBench";
// Compiled to bench/dist/bench/.
const HERE = dirname(fileURLToPath(import.meta.url));
const PY_FLEET = resolve(HERE, "../../subscribers/py_fleet.py");
const TS_FLEET = join(HERE, "subscribers", "ts-fleet.js");

const started = performance.now();
const log = (m: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);

interface Applied {
  seq: number;
  applied_ms: number;
  worker: number;
}

/** A fleet process: resolves `ready` once every subscriber started; collects what it applied. */
function startFleet(name: string, command: string[]) {
  const [exe, ...args] = command as [string, ...string[]];
  const child: ChildProcess = spawn(exe, args, { stdio: ["pipe", "pipe", "pipe"] });
  const applied: Applied[] = [];
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => {
    stderr = (stderr + c).slice(-4000);
  });
  const ready = new Promise<void>((done, fail) => {
    child.once("close", (code) => fail(new Error(`${name} fleet exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const message = JSON.parse(line) as Partial<Applied> & { ready?: number };
      if (message.ready !== undefined) done();
      else applied.push(message as Applied);
    });
  });
  return {
    name,
    applied,
    ready,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("close", () => done());
        child.stdin?.end();
        setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
      }),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "tradai-bench-subscribers-"));
  log("starting PostgreSQL and tradai serve");
  const postgres = await startPostgresServer();
  const databaseUrl = await createDatabase(postgres.url, "tradai_bench");
  const replica = await startReplica({
    TRADAI_DATABASE_URL: databaseUrl,
    TRADAI_LAUNCHER: "none",
    TRADAI_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
  });
  const commits = await listenForCommits(databaseUrl);
  const fleets: ReturnType<typeof startFleet>[] = [];
  try {
    const call = async (path: string, body: unknown) => {
      const response = await benchFetch(`${replica.url}${path}`, post(body));
      if (!response.ok) throw new Error(`POST ${path} answered HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    await call("/api/v1/catalog", {
      name: "bench.threshold",
      type: "number",
      description: "Signal threshold",
      reload: "hot",
    });
    const activate = async (threshold: number) => {
      const { config_id } = await call("/api/v1/configs", {
        strategy_name: STRATEGY,
        config_data: { bench: { threshold } },
      });
      await call(`/api/v1/configs/${STRATEGY}/${config_id}/activate?environment=dev`, {});
    };
    await activate(0);
    const { token } = (await call("/api/v1/tokens", {
      name: "bench-fleet",
      roles: ["worker"],
      environments: ["dev"],
    })) as {
      token: string;
    };
    const common = [
      "--url",
      replica.url,
      "--token",
      token,
      "--strategy",
      STRATEGY,
      "--count",
      String(SUBSCRIBERS),
      "--loop-ms",
      String(LOOP_MS),
    ];
    fleets.push(startFleet("python", [process.env.BENCH_PYTHON ?? "python3", PY_FLEET, ...common]));
    fleets.push(startFleet("typescript", [process.execPath, TS_FLEET, ...common]));
    await Promise.all(fleets.map((f) => f.ready));
    log(
      `${SUBSCRIBERS} Python and ${SUBSCRIBERS} TypeScript subscribers started; ${CHANGES} changes, ${SPACING_MS} ms apart`,
    );

    const committed = new Map<number, number>();
    for (let i = 1; i <= CHANGES; i++) {
      const next = commits.expectNext();
      await activate(i / 1000);
      const commit = await next;
      committed.set(commit.seq, commit.notified);
      await new Promise((r) => setTimeout(r, SPACING_MS));
    }
    const expected = CHANGES * SUBSCRIBERS;
    const deadline = performance.now() + 30_000;
    while (
      fleets.some((f) => f.applied.filter((a) => committed.has(a.seq)).length < expected) &&
      performance.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 100));

    const results = fleets.map((f) => {
      const latencies = f.applied
        .filter((a) => committed.has(a.seq))
        .map((a) => a.applied_ms - (committed.get(a.seq) as number))
        .sort((x, y) => x - y);
      return {
        library: f.name,
        subscribers: SUBSCRIBERS,
        changes: CHANGES,
        applies: latencies.length,
        missing: expected - latencies.length,
        p50_ms: round(percentile(latencies, 50), 1),
        p99_ms: round(percentile(latencies, 99), 1),
        max_ms: round(latencies.at(-1) ?? Number.NaN, 1),
      };
    });
    for (const r of results)
      log(`${r.library}: ${r.applies}/${expected} applies, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms`);
    const report = {
      ...machine(),
      method:
        `one tradai serve on PostgreSQL; ${SUBSCRIBERS} subscribers per library, each library's fleet in its own process ` +
        `with one loop calling boundary() every ${LOOP_MS} ms; ${CHANGES} activations ${SPACING_MS} ms apart; ` +
        "commit = when the benchmark's LISTEN connection heard the change's NOTIFY; applied = when boundary() returned it",
      results,
      problems: replica.problems(),
    };
    writeFileSync(join(RESULTS_DIR, "subscribers.json"), `${JSON.stringify(report, null, 2)}\n`);
    const rows = results.map(
      (r) =>
        `| ${r.library} | ${r.subscribers} | ${r.applies} / ${r.changes * r.subscribers} | ${r.p50_ms} | ${r.p99_ms} | ${r.max_ms} |`,
    );
    writeFileSync(
      join(RESULTS_DIR, "subscribers.md"),
      [
        "# Subscribers: Python library next to TypeScript",
        "",
        `${report.date}, Node ${report.node}, ${report.cpus} x ${report.cpu_model}. \`npm run bench:subscribers\`.`,
        "",
        report.method,
        "",
        "| library | subscribers | applies | commit -> applied p50 (ms) | p99 (ms) | max (ms) |",
        "|---|---|---|---|---|---|",
        ...rows,
        "",
      ].join("\n"),
    );
    log(`wrote ${join(RESULTS_DIR, "subscribers.md")}`);
  } finally {
    await Promise.all(fleets.map((f) => f.stop()));
    await commits.close();
    await replica.stop();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
