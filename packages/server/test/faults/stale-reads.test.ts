/**
 * Fault: resolve during a database outage (issue 25, item 3). A worker polling its config keeps
 * getting the last config the server resolved while PostgreSQL is down, marked with how long it
 * has gone unconfirmed, for at most TRADAI_STALE_READS_MAX; then 503 database-unavailable with
 * Retry-After; and the current config again once the database is back.
 */
import { type ApiClient, createApiClient } from "@tradai/client";
import { problemTypes } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../../test-support/auth.js";
import { eventually } from "../../../../test-support/platform.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../../test-support/postgres-server.js";
import { type ServerProcess, startServerProcess } from "../../../../test-support/server-process.js";

const STALE_MAX_SECONDS = 8;
const STRATEGY = "StaleReads";

let postgres: PostgresServer;
let server: ServerProcess;
let admin: ApiClient;
let workerToken: string;

beforeAll(async () => {
  postgres = await startPostgresServer();
  const databaseUrl = await createDatabase(postgres.url, "tradai_stale");
  server = await startServerProcess({
    TRADAI_DATABASE_URL: databaseUrl,
    TRADAI_LAUNCHER: "none",
    TRADAI_STALE_READS_MAX: String(STALE_MAX_SECONDS),
  });
  admin = createApiClient({ baseUrl: server.url, credentials: { username: "admin", password: TEST_ADMIN_PASSWORD } });
  workerToken = (await admin.createToken({ name: "stale-reader", roles: ["worker"] })).token;
});
afterAll(async () => {
  await server?.stop();
  await postgres?.stop();
});

/** `named`: as the libraries ask, naming the worker and its labels (a staged rollout may assign it). */
const poll = async (named = false) => {
  const reader = named ? "&worker_id=stale-worker&labels=canary=true" : "";
  const response = await fetch(`${server.url}/api/v1/resolve/${STRATEGY}?environment=dev${reader}`, {
    headers: { authorization: `Bearer ${workerToken}` },
  });
  const body = (await response.json()) as { resolved_hash?: string; type?: string };
  return {
    status: response.status,
    hash: body.resolved_hash,
    type: body.type,
    stale: response.headers.get("x-tradai-stale-seconds"),
    age: response.headers.get("age"),
    retryAfter: response.headers.get("retry-after"),
  };
};

describe("resolve while PostgreSQL is down", () => {
  it(`serves the last config, marked with its age, for at most ${STALE_MAX_SECONDS} s, then 503; fresh again after`, async () => {
    const { config_id } = await admin.createConfig({ strategy_name: STRATEGY, config_data: { threshold: 0.5 } });
    await admin.activate(STRATEGY, config_id);
    const before = await poll();
    expect(before).toMatchObject({ status: 200, stale: null, age: null });
    expect(await poll(true)).toMatchObject({ status: 200, stale: null, hash: before.hash });

    await postgres.halt("fast");
    try {
      // Marked stale once the feed could not confirm it, with the same config.
      const stale = await eventually(async () => {
        const answer = await poll();
        expect(answer.status, JSON.stringify(answer)).toBe(200);
        return answer.stale === null ? undefined : answer;
      }, "a resolve marked stale");
      expect(stale.hash).toBe(before.hash);
      expect(Number(stale.stale)).toBeGreaterThan(0);
      expect(Number(stale.stale)).toBeLessThanOrEqual(STALE_MAX_SECONDS);
      expect(stale.age).toBe(stale.stale);
      // A worker named on its poll is served alike, marked alike.
      const named = await poll(true);
      expect(named).toMatchObject({ status: 200, hash: before.hash });
      expect(Number(named.stale)).toBeGreaterThan(0);

      // Past the limit: the outage, said as one.
      const refused = await eventually(async () => {
        const answer = await poll();
        if (answer.status === 200) {
          expect(Number(answer.stale)).toBeLessThanOrEqual(STALE_MAX_SECONDS);
          return undefined;
        }
        return answer;
      }, "a 503 once the stale limit passed");
      expect(refused).toMatchObject({ status: 503, type: problemTypes.databaseUnavailable });
      expect(await poll(true)).toMatchObject({ status: 503, type: problemTypes.databaseUnavailable });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    } finally {
      await postgres.start();
    }
    const after = await eventually(async () => {
      const answer = await poll();
      return answer.status === 200 && answer.stale === null ? answer : undefined;
    }, "a fresh resolve after the database came back");
    expect(after.hash).toBe(before.hash);
  });
});
