/**
 * Fault: PostgreSQL stops under write load (issue 25, item 1). Three writers create and activate
 * versions through a real `tradai serve` process while the database server is stopped five times
 * (fast and immediate, a crash) and started again. The server must not crash, must answer the
 * outage as 503 database-unavailable (never 500), and nothing it acknowledged may be lost: every version it answered 201 for exists afterwards, the change
 * events are gapless, and the audit chain verifies.
 */
import { ApiProblemError, createApiClient } from "@tradai/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../../test-support/auth.js";
import { eventually } from "../../../../test-support/platform.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../../test-support/postgres-server.js";
import { type ServerProcess, startServerProcess } from "../../../../test-support/server-process.js";

const CYCLES = 5;
const WRITERS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let postgres: PostgresServer;
let databaseUrl: string;
let server: ServerProcess;

beforeAll(async () => {
  postgres = await startPostgresServer();
  databaseUrl = await createDatabase(postgres.url, "tradai_faults");
  server = await startServerProcess({ TRADAI_DATABASE_URL: databaseUrl, TRADAI_LAUNCHER: "none" });
});
afterAll(async () => {
  await server?.stop();
  await postgres?.stop();
});

describe("PostgreSQL stopped under write load", () => {
  it(`survives ${CYCLES} stops and loses no acknowledged write`, async () => {
    // No retries: the test looks at every answer the server gives.
    const api = createApiClient({
      baseUrl: server.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
      retry: false,
    });
    const acknowledged: { strategy: string; configId: string }[] = [];
    let refused = 0;
    const answers = new Map<string, number>();
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const strategy = `Fault${w}`;
        try {
          const { config_id } = await api.createConfig({ strategy_name: strategy, config_data: { w, i } });
          acknowledged.push({ strategy, configId: config_id });
          await api.activate(strategy, config_id);
        } catch (error) {
          refused++;
          const answer =
            error instanceof ApiProblemError ? `${error.status} ${error.problem.type}` : (error as Error).name;
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          await sleep(50);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await sleep(400);
        const before = acknowledged.length;
        await postgres.halt(cycle % 2 === 0 ? "fast" : "immediate");
        await sleep(1000);
        expect(server.process.exitCode, `the server exited after stop ${cycle + 1}:\n${server.output()}`).toBeNull();
        expect(server.process.signalCode).toBeNull();
        await postgres.start();
        // Writes are answered again once the database is back.
        await eventually(
          async () => (acknowledged.length > before + WRITERS ? true : undefined),
          `writes after restart ${cycle + 1}`,
        );
      }
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    expect(server.process.exitCode).toBeNull();
    expect(refused, "some writes met the stopped database").toBeGreaterThan(0);
    // An outage is said as one: 503 database-unavailable (with Retry-After), never a 500.
    const kinds = [...answers.keys()];
    if (kinds.some((k) => k.startsWith("500")))
      console.log("the server's failed requests:", [
        ...new Set(
          server
            .output()
            .split("\n")
            .filter((l) => l.includes("request failed"))
            .map((l) => {
              try {
                const j = JSON.parse(l);
                return `${j.err?.type} ${j.err?.code} ${j.err?.message}`.slice(0, 200);
              } catch {
                return l.slice(0, 200);
              }
            }),
        ),
      ]);
    expect(
      kinds.filter((k) => k.startsWith("500")),
      JSON.stringify(Object.fromEntries(answers)),
    ).toEqual([]);
    expect(kinds).toContain("503 urn:tradai:problem:database-unavailable");

    // Every acknowledged version is there.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ strategy_name: string; config_id: string }>(
        "SELECT strategy_name, config_id FROM config_versions",
      );
      const stored = new Set(rows.map((r) => `${r.strategy_name}/${r.config_id}`));
      const lost = acknowledged.filter((a) => !stored.has(`${a.strategy}/${a.configId}`));
      expect(lost).toEqual([]);
      // The change events have no gap.
      const events = await client.query<{ seq: number }>("SELECT seq::int AS seq FROM config_events ORDER BY seq");
      const seqs = events.rows.map((r) => r.seq);
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 1) + i));
    } finally {
      await client.end();
    }
    const verification = await api.verifyAudit();
    expect(verification.ok).toBe(true);
  });
});
