/**
 * Fault: PostgreSQL frozen (SIGSTOP: it accepts connections and answers nothing; issue 25, item 2).
 * Health answers 503 within a second; a write answers 503 database-unavailable with Retry-After
 * within its statement budget (2 s here) plus the client's grace, instead of hanging; readiness
 * says 503 and liveness 200; after repeated outages the database's circuit opens and writes fail
 * at once; once thawed, writes succeed again and the server never went down.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION } from "../../../../test-support/auth.js";
import { eventually } from "../../../../test-support/platform.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../../test-support/postgres-server.js";
import { type ServerProcess, startServerProcess } from "../../../../test-support/server-process.js";

let postgres: PostgresServer;
let server: ServerProcess;

beforeAll(async () => {
  postgres = await startPostgresServer();
  server = await startServerProcess({
    TRADAI_DATABASE_URL: await createDatabase(postgres.url, "tradai_frozen"),
    TRADAI_LAUNCHER: "none",
    TRADAI_DATABASE_STATEMENT_TIMEOUT_SECONDS: "2",
    TRADAI_DATABASE_CONNECT_TIMEOUT_SECONDS: "2",
  });
});
afterAll(async () => {
  postgres?.thaw();
  await server?.stop();
  await postgres?.stop();
});

const create = (i: number) =>
  fetch(`${server.url}/api/v1/configs`, {
    method: "POST",
    headers: { authorization: ADMIN_AUTHORIZATION, "content-type": "application/json" },
    body: JSON.stringify({ strategy_name: "Frozen", config_data: { i } }),
  });

const circuitState = async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^tradai_circuit_state\{dependency="database"\} (\d+)$/m.exec(text)?.[1]);
};

describe("PostgreSQL frozen", () => {
  it("health and writes answer 503 in bounded time, and writes succeed once it thaws", async () => {
    expect((await create(0)).status).toBe(201);
    postgres.freeze();
    try {
      let started = performance.now();
      const health = await fetch(`${server.url}/api/v1/health`);
      const healthMs = performance.now() - started;
      expect(health.status).toBe(503);
      expect(health.headers.get("retry-after")).toBe("5");
      expect(healthMs, "health answered within 1 s").toBeLessThan(1000);

      started = performance.now();
      const write = await create(1);
      const writeMs = performance.now() - started;
      expect(write.status).toBe(503);
      expect(write.headers.get("retry-after")).toBe("5");
      expect(((await write.json()) as { type: string }).type).toBe("urn:tradai:problem:database-unavailable");
      // 2 s statement budget + 2 s of client grace, and a margin for this machine.
      expect(writeMs, "the write was answered in bounded time").toBeLessThan(8000);
      expect(server.process.exitCode).toBeNull();

      // Not ready (no traffic, please), but alive (no restart).
      const ready = await fetch(`${server.url}/api/v1/health/ready`);
      expect(ready.status).toBe(503);
      const readiness = (await ready.json()) as { checks: { database: { ok: boolean } } };
      expect(readiness.checks.database.ok).toBe(false);
      expect((await fetch(`${server.url}/api/v1/health/live`)).status).toBe(200);

      // After repeated outages the database's circuit opens: the next write fails at once, and says why.
      const burst = await Promise.all([2, 3, 4, 5, 6].map(create));
      for (const answer of burst) expect(answer.status).toBe(503);
      const fast = await create(7);
      expect(fast.status).toBe(503);
      expect(((await fast.json()) as { detail: string }).detail).toContain("circuit open");
      expect(await circuitState()).toBe(2);
    } finally {
      postgres.thaw();
    }
    await eventually(async () => ((await create(8)).status === 201 ? true : undefined), "a write after the thaw");
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/health/ready`)).status).toBe(200);
    expect(await circuitState()).toBe(0);
  });
});
