/**
 * @module The rolling update under load (issue 18): three replicas of `tradai serve` on one
 * PostgreSQL behind a round-robin proxy, 1,000 subscribers connected through it, a change every
 * 250 ms, the replicas replaced one by one as Kubernetes does (bench/rolling/run.ts). Writes
 * bench/results/rolling-update.json and .md. Run with `npm run bench:rolling`.
 * BENCH_SUBSCRIBERS (1000), BENCH_REPLICAS (3), BENCH_SPACING_MS (250) change the run.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDatabase, startPostgresServer } from "../test-support/postgres-server.js";
import { BENCH_ADMIN_PASSWORD, machine, RESULTS_DIR } from "./lib/harness.js";
import { startReplica } from "./propagation/replicas.js";
import { runRollingUpdate } from "./rolling/run.js";

const started = performance.now();
const log = (m: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);

async function main() {
  const postgres = await startPostgresServer();
  try {
    const result = await runRollingUpdate({
      databaseUrl: await createDatabase(postgres.url, "rolling"),
      replicas: Number(process.env.BENCH_REPLICAS ?? 3),
      subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? 1000),
      changeEveryMs: Number(process.env.BENCH_SPACING_MS ?? 250),
      adminPassword: BENCH_ADMIN_PASSWORD,
      startReplica,
      log,
    });
    const m = machine();
    writeFileSync(join(RESULTS_DIR, "rolling-update.json"), `${JSON.stringify({ machine: m, ...result }, null, 2)}\n`);
    const md = [
      "# Rolling update under load",
      "",
      `${m.date}, Node ${m.node}, ${m.cpus} × ${m.cpu_model}. \`npm run bench:rolling\`.`,
      "",
      `${result.replicas} replicas of \`tradai serve\` on one PostgreSQL behind a round-robin TCP proxy (the Service), ${result.subscribers} subscribers (@tradai/client, boundary() every 20 ms) connected through it, a change activated every ${process.env.BENCH_SPACING_MS ?? 250} ms through it. Each replica in turn: a new one starts and joins the pool, the old one leaves the pool and gets SIGTERM (its streams get a goodbye with a reconnect delay drawn over 5 s).`,
      "",
      "| measure | value |",
      "|---|---|",
      `| changes made during the run | ${result.changes} |`,
      `| API requests / failed | ${result.api_requests} / ${result.api_errors} |`,
      `| configs a subscriber applied twice / applies whose seq went back | ${result.duplicates} / ${result.regressions} |`,
      `| applies labelled with the seq of an earlier one (a config polled while the stream was down takes the last seq known) | ${result.seq_repeats} |`,
      `| subscribers that reached the last change | ${result.reached_last} of ${result.subscribers} |`,
      `| most new connections one replica got in one second (during the update) | ${result.max_new_connections_per_replica_second} |`,
      `| after each SIGTERM, until every subscriber applied a later change (ms) | ${result.recovery_ms.join(", ")} |`,
      `| whole run (s) | ${(result.total_ms / 1000).toFixed(1)} |`,
      "",
      "New connections include the subscribers' heartbeats and polls, not only stream reconnects.",
      "",
    ].join("\n");
    writeFileSync(join(RESULTS_DIR, "rolling-update.md"), md);
    process.stdout.write(md);
  } finally {
    await postgres.stop();
  }
}

await main();
