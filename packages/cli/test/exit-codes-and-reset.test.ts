/**
 * Issue 27: a script can tell a change that waits for approval from one that was applied (exit 3),
 * `--wait` follows the change request to its end (0 applied, 4 rejected, 3 still pending), and a
 * lost password is reset on the stopped server's database, recorded in the audit trail.
 */
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization, TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import {
  type CliResult,
  type CliTestServer,
  removeDataDir,
  runCli,
  startCliTestServer,
  startServerProcess,
} from "../../../test-support/server-process.js";

let t: CliTestServer;
let approver: ReturnType<typeof createApiClient>;

beforeAll(async () => {
  t = await startCliTestServer();
  const admin = createApiClient({
    baseUrl: t.server.url,
    credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
  });
  await admin.createUser("rita", "approver", "rita-password-00");
  approver = createApiClient({
    baseUrl: t.server.url,
    credentials: { username: "rita", password: "rita-password-00" },
  });
});
afterAll(() => t?.close());

/** A new version of `strategy` (one per test), to activate in prod, where approval is required. */
async function newVersion(strategy: string): Promise<string> {
  return JSON.parse(t.ok(await t.cli("--json", "config", "create", strategy, "--data", '{"stoploss":-0.05}')))
    .config_id;
}

const proposalId = (result: CliResult) => Number(/change request (\d+)/.exec(result.stdout)?.[1]);

/** Resolves once the CLI's first line (the proposal) names the change request. */
async function pendingRequest(strategy: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const page = await approver.listChangeRequests({ status: "pending" });
    const found = page.items.find((cr) => cr.strategy_name === strategy);
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pending change request for ${strategy}`);
}

describe(`exit codes of governed commands (${backend})`, () => {
  it("activate in an environment that needs approval exits 3 (proposed), not 0", async () => {
    const v = await newVersion("ExitProposed");
    const result = await t.cli("config", "activate", "ExitProposed", v, "--env", "prod");
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^Proposed: change request \d+ to make .* active in prod/);
  });

  it("--wait exits 0 once another person approves, printing that it was applied", async () => {
    const v = await newVersion("WaitApplied");
    const waiting = t.cli("config", "activate", "WaitApplied", v, "--env", "prod", "--wait", "60");
    const id = await pendingRequest("WaitApplied");
    await approver.approveChangeRequest(id, { comment: "looks right" });
    const result = await waiting;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Proposed: change request \d+/);
    expect(result.stdout).toContain(`Applied: change request ${id} (`);
    expect(result.stdout).toContain("was approved by rita");
    expect(result.stderr).toContain(`Waiting up to 60 s for change request ${id}`);
  });

  it("--wait exits 4 when the change request is rejected, and --json prints only its final state", async () => {
    const v = await newVersion("WaitRejected");
    const waiting = t.cli("--json", "config", "activate", "WaitRejected", v, "--env", "prod", "--wait");
    const id = await pendingRequest("WaitRejected");
    await approver.rejectChangeRequest(id, "not now");
    const result = await waiting;
    expect(result.code, result.stderr).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({ change_request: { id, status: "rejected" } });
    expect(result.stderr).toBe(""); // no progress lines: stderr is for a JSON problem only
  });

  it("--wait exits 3 when nobody decides in time; a --wait that is not a number is a usage error (2)", async () => {
    const v = await newVersion("WaitTimeout");
    const result = await t.cli("config", "activate", "WaitTimeout", v, "--env", "prod", "--wait", "1");
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      `Still pending after 1 s: change request ${proposalId(result)} has 0/1 approval(s)`,
    );
    // A bad --wait is refused before anything is sent: no second change request.
    const pending = async () =>
      (await approver.listChangeRequests({ status: "pending" })).items.filter(
        (cr) => cr.strategy_name === "WaitTimeout",
      );
    const before = await pending();
    const bad = await t.cli("config", "activate", "WaitTimeout", v, "--env", "prod", "--wait", "soon");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--wait takes a number of seconds greater than 0, got "soon"');
    expect(await pending()).toEqual(before);
  });

  it("with --json, a refusal is the server's problem as JSON on stderr, naming the option of each field; exit 1", async () => {
    const missing = await t.cli("--json", "config", "show", "NoSuchStrategy", "v1-00000000");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({
      status: 404,
      title: expect.any(String),
      request_id: expect.any(String),
    });
    const bad = await t.cli("--json", "config", "list", "ExitProposed", "--limit", "0");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({
      status: 422,
      errors: [{ field: "limit", location: "query", option: "--limit" }],
    });
  });

  it("--help shows the exit code table", async () => {
    const help = t.ok(await t.cli("--help"));
    for (const code of [0, 1, 2, 3, 4]) expect(help).toMatch(new RegExp(`^ {2}${code} {2}\\S`, "m"));
    expect(t.ok(await t.cli("config", "activate", "--help"))).toContain("3  proposed: a change request waits");
  });
});

describe(`tradai admin reset-password (${backend})`, () => {
  it("resets a password on the stopped server's database: the old one stops working, the audit trail says who", async () => {
    const env = await freshDatabaseEnv();
    try {
      const first = await startServerProcess(env);
      if (backend === "pglite") {
        // The embedded database admits one process: the running server's.
        const refused = await runCli(["admin", "reset-password", "admin"], {
          env: { ...env, TRADAI_NEW_PASSWORD: "a-brand-new-password" },
        });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/Error: cannot reset the password of admin: .*stop/);
      }
      const stopped = await first.stop();
      expect(stopped, first.output()).toEqual({ code: 0, signal: null });

      const unknown = await runCli(["admin", "reset-password", "nobody"], {
        env: { ...env, TRADAI_NEW_PASSWORD: "a-brand-new-password" },
      });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown user "nobody" (users: admin)');
      const short = await runCli(["admin", "reset-password", "admin"], {
        env: { ...env, TRADAI_NEW_PASSWORD: "short" },
      });
      expect(short.code).toBe(2);

      const reset = await runCli(["admin", "reset-password", "admin"], {
        env: { ...env, TRADAI_NEW_PASSWORD: "a-brand-new-password" },
      });
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toMatch(/^Password of admin reset \(recorded in the audit trail as operator:.+@.+\)/);

      const again = await startServerProcess(env);
      try {
        const old = await fetch(`${again.url}/api/v1/auth/me`, {
          headers: { authorization: basicAuthorization("admin", TEST_ADMIN_PASSWORD) },
        });
        expect(old.status).toBe(401);
        const audit = await fetch(`${again.url}/api/v1/audit?action=user.update`, {
          headers: { authorization: basicAuthorization("admin", "a-brand-new-password") },
        });
        expect(audit.status).toBe(200);
        const [entry] = (await audit.json()).items;
        expect(entry).toMatchObject({
          target_id: "admin",
          details: { password_reset: true, offline: true },
          actor: expect.stringMatching(/^operator:/),
        });
        // The chain still verifies with the new entry in it.
        const verify = await fetch(`${again.url}/api/v1/audit/verify`, {
          headers: { authorization: basicAuthorization("admin", "a-brand-new-password") },
        });
        expect((await verify.json()).ok).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      removeDataDir(env);
    }
  });
});
