/**
 * Fault: PostgreSQL frozen (SIGSTOP: it accepts connections and answers nothing; issue 25, item 2).
 * Health answers 503 within a second; a write answers 503 database-unavailable with Retry-After
 * within its statement budget (2 s here) plus the client's grace, instead of hanging; once thawed,
 * writes succeed again and the server never went down.
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
    } finally {
      postgres.thaw();
    }
    await eventually(async () => ((await create(2)).status === 201 ? true : undefined), "a write after the thaw");
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });
});
