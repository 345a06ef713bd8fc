/**
 * @module Fault benchmark (issue 25): the long form of the fault suite's storms, timed.
 * - Authentication storm: 1,000 change streams opened at once with one password on a fresh replica
 *   (nothing verified yet), until every one is admitted (fed its snapshot); the same with a worker
 *   token. Target: the password storm within 3 s.
 * - Reconnect storm: 1,000 password clients on replica A, which is killed (SIGKILL); a change is
 *   made through replica B; A restarts on its address; until every client is admitted again and
 *   has the change it missed.
 * - Shutdown: SIGTERM to a replica with 1,000 streams open, until it exited.
 * Each BENCH_ROUNDS times (3) on one PostgreSQL server, replicas as `tradai serve` processes.
 * Writes bench/results/faults.json and .md. Run with `npm run bench:faults`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApiClient } from "@tradai/client";
import { createDatabase, startPostgresServer } from "../test-support/postgres-server.js";
import { startStorm } from "../test-support/sse-storm.js";
import { BENCH_ADMIN_PASSWORD, machine, RESULTS_DIR, round } from "./lib/harness.js";
import { startReplica } from "./propagation/replicas.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const STRATEGY = "FaultBench";
const PASSWORD = "fault-bench-reader-password-1";
const started = performance.now();
const log = (m: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const ms = (x: number) => round(x, 0);

async function main() {
  const postgres = await startPostgresServer();
  try {
    const databaseUrl = await createDatabase(postgres.url, "tradai_bench_faults");
    const env = {
      TRADAI_DATABASE_URL: databaseUrl,
      TRADAI_LAUNCHER: "none",
      TRADAI_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    };
    const setup = await startReplica(env);
    const admin = createApiClient({
      baseUrl: setup.url,
      credentials: { username: "admin", password: BENCH_ADMIN_PASSWORD },
    });
    await admin.createUser("fault-bench-reader", "viewer", PASSWORD);
    const { token } = await admin.createToken({ name: "fault-bench-worker", roles: ["worker"] });
    let n = 0;
    const activateNew = async (via: typeof admin) => {
      n += 1;
      const { config_id } = await via.createConfig({ strategy_name: STRATEGY, config_data: { n } });
      await via.activate(STRATEGY, config_id);
    };
    await activateNew(admin);
    await setup.stop();
    const password = basic("fault-bench-reader", PASSWORD);

    const auth: { password_ms: number; token_ms: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const replica = await startReplica(env);
      const time = async (authorization: string) => {
        const t0 = performance.now();
        const storm = startStorm(replica.url, authorization, CLIENTS);
        await storm.admittedAll(1, 120_000);
        const took = performance.now() - t0;
        storm.stop();
        return took;
      };
      const passwordMs = await time(password);
      const tokenMs = await time(`Bearer ${token}`);
      auth.push({ password_ms: ms(passwordMs), token_ms: ms(tokenMs) });
      log(
        `auth storm ${r + 1}: ${CLIENTS} password streams in ${ms(passwordMs)} ms, token streams in ${ms(tokenMs)} ms`,
      );
      await replica.stop();
    }

    const reconnect: { readmitted_ms: number; change_received_ms: number; refusals: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let a = await startReplica(env);
      const b = await startReplica(env);
      const viaB = createApiClient({
        baseUrl: b.url,
        credentials: { username: "admin", password: BENCH_ADMIN_PASSWORD },
      });
      const storm = startStorm(a.url, password, CLIENTS);
      await storm.admittedAll(1, 120_000);
      await a.kill();
      await activateNew(viaB);
      const head = (await viaB.listAudit({ action: "config.activate", limit: 1 })).items[0];
      const seq = (head?.details as { event_seqs?: number[] } | null)?.event_seqs?.at(-1) as number;
      a = await startReplica({ ...env, TRADAI_PORT: new URL(a.url).port });
      const back = performance.now();
      await storm.receivedAll(seq, 120_000);
      const received = performance.now() - back;
      await storm.admittedAll(2, 120_000);
      const readmitted = Math.max(...storm.clients.map((c) => c.admitted[1] as number)) - back;
      const refusals = storm.clients.reduce((t, c) => t + c.refusals.length, 0);
      reconnect.push({ readmitted_ms: ms(readmitted), change_received_ms: ms(received), refusals });
      log(`reconnect storm ${r + 1}: readmitted in ${ms(readmitted)} ms, missed change in ${ms(received)} ms`);
      storm.stop();
      await a.stop();
      await b.stop();
    }

    const shutdown: { exit_seconds: number; killed: boolean }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const replica = await startReplica(env);
      const storm = startStorm(replica.url, `Bearer ${token}`, CLIENTS);
      await storm.admittedAll(1, 120_000);
      const { seconds, killed } = await replica.stop();
      storm.stop();
      shutdown.push({ exit_seconds: round(seconds, 2), killed });
      log(
        `shutdown ${r + 1}: SIGTERM with ${CLIENTS} streams open, exited in ${round(seconds, 2)} s${killed ? " (killed)" : ""}`,
      );
    }

    return {
      ...machine(),
      clients: CLIENTS,
      rounds: ROUNDS,
      auth_storm: {
        rounds: auth,
        password_median_ms: median(auth.map((x) => x.password_ms)),
        token_median_ms: median(auth.map((x) => x.token_ms)),
      },
      reconnect_storm: { rounds: reconnect, readmitted_median_ms: median(reconnect.map((x) => x.readmitted_ms)) },
      shutdown: { rounds: shutdown },
    };
  } finally {
    await postgres.stop();
  }
}

type Report = Awaited<ReturnType<typeof main>>;

function markdown(r: Report): string {
  const pw = r.auth_storm.password_median_ms;
  return [
    "# Fault benchmark",
    "",
    `${r.date}, Node ${r.node}, ${r.platform}, ${r.cpus} CPUs (${r.cpu_model}); ${r.clients} clients, ${r.rounds} rounds, one PostgreSQL server, replicas as \`tradai serve\` processes, the clients in the benchmark's process. Command: \`npm run bench:faults\`.`,
    "",
    "## Targets",
    "",
    "| target | measured | |",
    "|---|---|---|",
    `| ${r.clients} simultaneous password-authenticated streams admitted within 3 s (median of ${r.rounds}) | ${pw} ms | ${pw <= 3000 ? "met" : "**not met**"} |`,
    "",
    "## Authentication storm",
    "",
    "A fresh replica (nothing verified yet); every client opens GET /api/v1/stream at once; until each is fed its snapshot.",
    "",
    "| round | password (one user) | worker token |",
    "|---:|---:|---:|",
    ...r.auth_storm.rounds.map((x, i) => `| ${i + 1} | ${x.password_ms} ms | ${x.token_ms} ms |`),
    "",
    "## Reconnect storm after kill -9",
    "",
    "Replica A killed with every client on it; a change made through replica B; A restarted on its address. From A listening again: until every client had the change it missed, and was admitted again.",
    "",
    "| round | change received by all | all admitted again | refused attempts (A down or starting) |",
    "|---:|---:|---:|---:|",
    ...r.reconnect_storm.rounds.map(
      (x, i) => `| ${i + 1} | ${x.change_received_ms} ms | ${x.readmitted_ms} ms | ${x.refusals} |`,
    ),
    "",
    "## Shutdown with streams open",
    "",
    "SIGTERM to a replica with every client's stream open: every stream is closed and the process exits.",
    "",
    "| round | exited after | killed at 10 s |",
    "|---:|---:|---|",
    ...r.shutdown.rounds.map((x, i) => `| ${i + 1} | ${x.exit_seconds} s | ${x.killed ? "yes" : "no"} |`),
    "",
  ].join("\n");
}

const report = await main();
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, "faults.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, "faults.md"), markdown(report));
log(`wrote ${join(RESULTS_DIR, "faults.md")}`);
process.exit(0);
