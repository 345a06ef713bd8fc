/**
 * A rolling update under load, in its short form (issue 18; the full one, 1,000 subscribers, is
 * `npm run bench:rolling`): three replicas on one PostgreSQL behind a round-robin proxy, replaced
 * one by one (a new one in, the old one out of the pool and SIGTERM) while changes are made. No
 * subscriber applies a change twice or goes back, every one reaches the last change, every API
 * request succeeds, and after each SIGTERM all are back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRollingUpdate } from "../bench/rolling/run.js";
import { TEST_ADMIN_PASSWORD } from "../test-support/auth.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../test-support/postgres-server.js";
import { startServerProcess } from "../test-support/server-process.js";

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgresServer();
});
afterAll(async () => {
  await postgres?.stop();
});

describe("a rolling update under load", () => {
  it("loses no change, applies none twice, fails no request, and every subscriber comes back", async () => {
    const result = await runRollingUpdate({
      databaseUrl: await createDatabase(postgres.url, "rolling"),
      replicas: 3,
      subscribers: 60,
      changeEveryMs: 300,
      adminPassword: TEST_ADMIN_PASSWORD,
      startReplica: (env) => startServerProcess({ ...env, TRADAI_LOG_LEVEL: "warn" }),
      log: (m) => console.log(m),
    });
    console.log(JSON.stringify(result));
    expect(result.api_errors, result.api_error_samples.join("\n")).toBe(0);
    expect(result.duplicates).toBe(0); // no config applied twice
    expect(result.regressions).toBe(0);
    expect(result.reached_last).toBe(60);
    expect(result.recovery_ms).toHaveLength(3);
    for (const ms of result.recovery_ms) expect(Number.isFinite(ms)).toBe(true);
    expect(result.changes).toBeGreaterThan(5);
  }, 300_000);
});
