/**
 * The server's logs, as Loki users read them (issue 18): JSON lines, one per request with its
 * request id, method, route, status, time and actor; one per committed change with its audit and
 * event seqs under the same request id; and no secret in any line (passwords, tokens, the database
 * URL's password). For people (issue 27): requests that went well at debug, refusals, failures and
 * slow requests at info or above, and a readable one-line-per-event format.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization, TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import { removeDataDir, type ServerProcess, startServerProcess } from "../../../test-support/server-process.js";

let server: ServerProcess;
let quiet: ServerProcess;
let pretty: ServerProcess;
const envs: Record<string, string>[] = [];
let env: Record<string, string>;
const ADMIN = basicAuthorization("admin", TEST_ADMIN_PASSWORD);

beforeAll(async () => {
  const start = async (settings: Record<string, string>) => {
    const e = await freshDatabaseEnv();
    envs.push(e);
    return { e, s: await startServerProcess({ ...e, ...settings }) };
  };
  const [a, b, c] = await Promise.all([
    start({ TRADAI_LOG_LEVEL: "debug", TRADAI_LOG_FORMAT: "json" }),
    start({ TRADAI_LOG_LEVEL: "info" }),
    start({ TRADAI_LOG_LEVEL: "info", TRADAI_LOG_FORMAT: "pretty", TRADAI_SLOW_REQUEST_MS: "1" }),
  ]);
  env = a.e;
  server = a.s;
  quiet = b.s;
  pretty = c.s;
});
afterAll(async () => {
  await Promise.all([server?.stop(), quiet?.stop(), pretty?.stop()]);
  for (const e of envs) removeDataDir(e);
});

const jsonLines = (of: ServerProcess) =>
  of
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

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
      level: 20,
      method: "POST",
      route: "/api/v1/configs",
      status: 201,
      actor: "admin",
      ms: expect.any(Number),
    });
    const denied = lines().find((l) => l.msg === "request refused" && l.status === 401);
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

  it("at info, a request that went well is not logged; a refusal is, once, at info", async () => {
    const ok = await fetch(`${quiet.url}/api/v1/configs`, {
      headers: { authorization: ADMIN, "x-request-id": "quiet-ok-1" },
    });
    expect(ok.status).toBe(200);
    const refused = await fetch(`${quiet.url}/api/v1/configs`, { headers: { "x-request-id": "quiet-401-1" } });
    expect(refused.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    const logged = jsonLines(quiet);
    expect(logged.filter((l) => l.request_id === "quiet-ok-1")).toEqual([]);
    // With JSON logs every line is JSON, the start-up line too (at any level).
    const notJson = quiet
      .output()
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("{"));
    expect(notJson).toEqual([]);
    expect(logged.find((l) => String(l.msg).startsWith("TradAI platform listening on"))).toMatchObject({
      url: quiet.url,
      docs: `${quiet.url}/api/v1/docs`,
    });
    const refusal = logged.filter((l) => l.request_id === "quiet-401-1");
    expect(refusal).toEqual([
      expect.objectContaining({
        level: 30,
        msg: "request refused",
        status: 401,
        route: "/api/v1/configs",
        detail: expect.stringContaining("authentication required"),
      }),
    ]);
  });

  it("TRADAI_LOG_FORMAT=pretty writes one readable line per event; a request over TRADAI_SLOW_REQUEST_MS is logged as slow", async () => {
    const created = await fetch(`${pretty.url}/api/v1/configs`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json", "x-request-id": "pretty-create-1" },
      body: JSON.stringify({ strategy_name: "Pretty", config_data: { stoploss: -0.05 } }),
    });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    const output = pretty.output().split("\n");
    expect(output.filter((l) => l.startsWith("{"))).toEqual([]);
    const slow = output.find((l) => l.includes("pretty-create-1") && l.includes("slow request"));
    expect(slow).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: slow request POST \/api\/v1\/configs 201 [\d.]+ ms by admin {2}request_id=pretty-create-1 slow=true$/,
    );
    expect(output.find((l) => l.includes("pretty-create-1") && l.includes("change committed"))).toContain("INFO");
  });
});
