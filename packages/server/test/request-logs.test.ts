/**
 * The server's logs, as Loki users read them (issue 18): JSON lines, one per request with its
 * request id, method, route, status, time and actor; one per committed change with its audit and
 * event seqs under the same request id; and no secret in any line (passwords, tokens, the database
 * URL's password).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization, TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import { removeDataDir, type ServerProcess, startServerProcess } from "../../../test-support/server-process.js";

let server: ServerProcess;
let env: Record<string, string>;
const ADMIN = basicAuthorization("admin", TEST_ADMIN_PASSWORD);

beforeAll(async () => {
  env = await freshDatabaseEnv();
  server = await startServerProcess({ ...env, TRADAI_LOG_LEVEL: "info" });
});
afterAll(async () => {
  await server?.stop();
  removeDataDir(env);
});

const lines = () =>
  server
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe(`request logs (${backend})`, () => {
  it("one JSON line per request: request id, method, route, status, time, actor; no secret anywhere", async () => {
    const token = "tradai-test-token-secret-123";
    const created = await fetch(`${server.url}/api/v1/configs`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json", "x-request-id": "logs-create-1" },
      body: JSON.stringify({ strategy_name: "Logged", config_data: { stoploss: -0.05 } }),
    });
    expect(created.status).toBe(201);
    const refused = await fetch(`${server.url}/api/v1/configs/Logged?password=${token}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(401);
    // The line is written once the answer has gone: give the process a moment.
    await new Promise((r) => setTimeout(r, 200));

    const create = lines().find((l) => l.request_id === "logs-create-1" && l.msg === "request");
    expect(create).toMatchObject({
      level: 30,
      method: "POST",
      route: "/api/v1/configs",
      status: 201,
      actor: "admin",
      ms: expect.any(Number),
    });
    const denied = lines().find((l) => l.msg === "request" && l.status === 401);
    expect(denied).toMatchObject({ route: "/api/v1/configs/:strategy", actor: null });

    // The change it made: logged with its audit entries' seqs (the change id), under the same request id.
    const audit = await fetch(`${server.url}/api/v1/audit?action=config.create`, { headers: { authorization: ADMIN } });
    const entry = (await audit.json()).items[0];
    expect(entry).toMatchObject({ request_id: "logs-create-1" });
    const committed = lines().find((l) => l.request_id === "logs-create-1" && l.msg === "change committed");
    expect(committed).toMatchObject({ actor: "admin", audit_seqs: [entry.seq], change: expect.any(String) });

    const output = server.output();
    expect(output).not.toContain(TEST_ADMIN_PASSWORD);
    expect(output).not.toContain(token);
    if (env.TRADAI_DATABASE_URL) {
      // The URL's credentials as they would appear in it (the test server's password is a plain word).
      const url = new URL(env.TRADAI_DATABASE_URL);
      expect(output).not.toContain(`${url.username}:${url.password}@`);
    }
  });
});
