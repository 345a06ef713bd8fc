/** @module The whole platform in the test process, on a fresh database, listening on a free loopback port. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiCredentials, ApiProblemError, createApiClient, type Governed, isProposed } from "@tradai/client";
import type { ChangeRequest, Role } from "@tradai/core";
import { type Database, loadSettings, type Platform, startPlatform } from "@tradai/server";
import { ADMIN_AUTHORIZATION, TEST_ADMIN_PASSWORD } from "./auth.js";
import { freshDatabase } from "./backend.js";
import { responseContract } from "./response-contract.js";

export interface TestPlatform extends Platform {
  /** The API client, as the admin. */
  api: ReturnType<typeof createApiClient>;
  /** The API client with other credentials (none: unauthenticated). */
  as(credentials?: ApiCredentials): ReturnType<typeof createApiClient>;
  /**
   * Activates as the admin; when that makes a change request (approval required, critical
   * parameter), approves it as a second person, `test-approver`. For tests whose subject is not
   * approval. Returns the change request's final status, or "applied" for a direct activation.
   */
  activateApproved(strategy: string, configId: string, environment?: string): Promise<string>;
  /**
   * Waits for a governed change (policy, base values, catalog, activation); when it became a change
   * request, approves it as as many people as it needs (`test-approver`, `test-approver-2`, ...) and
   * returns the request as applied.
   * For tests whose subject is not approval (e.g. putting a policy back afterwards).
   */
  approved<T extends object>(change: Promise<Governed<T>>): Promise<T | ChangeRequest>;
  /** Creates a user with this role (password `<name>-password-0`); returns their credentials. */
  user(name: string, role: Role): Promise<{ username: string; password: string }>;
  /**
   * Raw HTTP: path + init, returns status, content type and parsed body. Sent as the admin unless
   * init's headers name an authorization (an empty one: none at all).
   */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response bodies and assert on them
  http(path: string, init?: RequestInit): Promise<{ status: number; type: string; body: any; headers: Headers }>;
}

export async function startTestPlatform(env: Record<string, string> = {}, db?: Database): Promise<TestPlatform> {
  const database = db ?? (await freshDatabase());
  const dir = mkdtempSync(join(tmpdir(), "tradai-platform-"));
  const settings = loadSettings({
    TRADAI_PORT: "0",
    TRADAI_LOG_LEVEL: "silent",
    // No launcher unless a test wants runs to actually run.
    TRADAI_LAUNCHER: "none",
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
    // Where generated first passwords are kept (the demo approver's); the database is passed in.
    TRADAI_DATA_DIR: join(dir, "data"),
    TRADAI_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // Tests start from an empty catalog unless they are about the preset (its revisions would shift theirs).
    TRADAI_CATALOG_PRESET: "none",
    ...env,
  });
  // Every answer is checked against the OpenAPI document; close() fails on any that it does not describe.
  const contract = responseContract();
  const platform = await startPlatform(settings, database, { instrument: contract.instrument });
  const admin = createApiClient({
    baseUrl: platform.url,
    credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
  });
  const approvers: ReturnType<typeof createApiClient>[] = [];
  /** The n-th approver (from 0): `test-approver`, `test-approver-2`, ... */
  const approverNo = async (n: number) => {
    while (approvers.length <= n) {
      const name = approvers.length === 0 ? "test-approver" : `test-approver-${approvers.length + 1}`;
      await admin.createUser(name, "approver", `${name}-password-0`);
      approvers.push(
        createApiClient({ baseUrl: platform.url, credentials: { username: name, password: `${name}-password-0` } }),
      );
    }
    return approvers[n] as ReturnType<typeof createApiClient>;
  };
  /** Approves as as many people as the request needs. */
  const approveFully = async (id: number): Promise<ChangeRequest> => {
    let request = await admin.getChangeRequest(id);
    for (let n = 0; request.status === "pending" && n < 10; n++)
      request = await (await approverNo(n)).approveChangeRequest(id);
    return request;
  };
  return {
    ...platform,
    async close() {
      await platform.close();
      await database.close();
      if (contract.violations.length) {
        const list = [...new Set(contract.violations)];
        throw new Error(`${list.length} answer(s) the OpenAPI document does not describe:\n${list.join("\n")}`);
      }
    },
    api: admin,
    async activateApproved(strategy, configId, environment) {
      const outcome = await admin.activate(strategy, configId, { environment });
      if (!isProposed(outcome)) return "applied";
      return (await approveFully(outcome.change_request.id)).status;
    },
    async approved(change) {
      const outcome = await change;
      if (!isProposed(outcome)) return outcome;
      return approveFully(outcome.change_request.id);
    },
    as: (credentials) => createApiClient({ baseUrl: platform.url, credentials }),
    async user(name, role) {
      const password = `${name}-password-0`;
      await createApiClient({
        baseUrl: platform.url,
        credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
      }).createUser(name, role, password);
      return { username: name, password };
    },
    async http(path, init) {
      const headers = new Headers(init?.headers);
      if (!headers.has("authorization")) headers.set("authorization", ADMIN_AUTHORIZATION);
      else if (headers.get("authorization") === "") headers.delete("authorization");
      const response = await fetch(platform.url + path, { ...init, headers });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return {
        status: response.status,
        type: response.headers.get("content-type") ?? "",
        body,
        headers: response.headers,
      };
    },
  };
}

/** TRADAI_TASK_DEFINITIONS entry for the test fixture worker (task name `fixture`). */
export const FIXTURE_TASKS = JSON.stringify({
  fixture: [process.execPath, new URL("./fixture-worker.mjs", import.meta.url).pathname],
});

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POST with a JSON text body (sent exactly as given). */
export function postJson(text: string): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: text };
}

/** The problem an API client call was refused with; fails the test when the call succeeds. */
export async function refusal(call: Promise<unknown>): Promise<ApiProblemError["problem"]> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiProblemError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.problem;
}
