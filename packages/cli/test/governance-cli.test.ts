/**
 * The governance commands against a real `tradai serve` process: `tradai login|logout|whoami|password`
 * (the token file, its mode, commands that use it), four-eyes approval with `tradai change-request`,
 * the audit trail with `tradai audit`, and `tradai user|token`; with their exit codes (1: the server
 * refused, 2: usage).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import {
  type CliResult,
  type CliTestServer,
  runCli,
  startCliTestServer,
} from "../../../test-support/server-process.js";

let t: CliTestServer;
/** XDG_CONFIG_HOME of every CLI run here, so that no test touches the real ~/.config. */
let configHome: string;

const PASSWORDS = {
  alice: "alice-password-0",
  bob: "bob-password-000",
  carol: "carol-password-0",
  dave: "dave-password-00",
} as const;

const ok = (result: CliResult) => t.ok(result);
/** Exit 3: the change became a change request. */
const proposed = (result: CliResult) => t.proposed(result);

/** `tradai ...args` as the test admin (HTTP Basic). */
const admin = (...args: string[]) => runCli(args, { url: t.server.url, env: { XDG_CONFIG_HOME: configHome } });

/** `tradai ...args` as `user` with TRADAI_USER + TRADAI_PASSWORD. */
const as = (user: keyof typeof PASSWORDS, ...args: string[]) =>
  runCli(args, {
    url: t.server.url,
    env: { TRADAI_USER: user, TRADAI_PASSWORD: PASSWORDS[user], XDG_CONFIG_HOME: configHome },
  });

/**
 * `tradai ...args` with no credentials in the environment, so only what `tradai login` stored in
 * `home` counts (an empty TRADAI_TOKEN keeps runCli from acting as the admin).
 */
const withStoredLogin = (home: string, args: string[], input?: string) =>
  runCli(args, { url: t.server.url, env: { TRADAI_TOKEN: "", XDG_CONFIG_HOME: home }, input });

const credentialsFile = (home: string) => join(home, "tradai", "credentials.json");

function proposedId(stdout: string): number {
  const match = /^Proposed: change request (\d+) /.exec(stdout);
  if (!match?.[1]) throw new Error(`no change request in:\n${stdout}`);
  return Number(match[1]);
}

/** Creates a version of `strategy` as alice and returns its config_id. */
async function aliceCreates(strategy: string, data: object): Promise<string> {
  const out = ok(await as("alice", "--json", "config", "create", strategy, "--data", JSON.stringify(data)));
  return (JSON.parse(out) as { config_id: string }).config_id;
}

beforeAll(async () => {
  t = await startCliTestServer();
  configHome = mkdtempSync(join(tmpdir(), "tradai-cli-home-"));
  const api = createApiClient({
    baseUrl: t.server.url,
    credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
  });
  await api.createUser("alice", "editor", PASSWORDS.alice);
  await api.createUser("bob", "approver", PASSWORDS.bob);
  await api.createUser("carol", "viewer", PASSWORDS.carol);
});

afterAll(async () => {
  await t?.close();
  if (configHome) rmSync(configHome, { recursive: true, force: true });
});

describe(`tradai login, whoami, logout (${backend})`, () => {
  it("login stores a token (mode 0600) that later commands use; logout ends and forgets it", async () => {
    const home = mkdtempSync(join(tmpdir(), "tradai-cli-login-"));
    try {
      // The password piped on stdin; the user name from TRADAI_USER.
      const login = await runCli(["login"], {
        url: t.server.url,
        env: { TRADAI_USER: "alice", XDG_CONFIG_HOME: home },
        input: `${PASSWORDS.alice}\n`,
      });
      const out = ok(login);
      expect(out).toContain(`Logged in to ${t.server.url} as alice until `);
      expect(out).toContain(`Token stored in ${credentialsFile(home)}`);
      expect(out).not.toContain(PASSWORDS.alice);

      const file = credentialsFile(home);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, { token: string; username: string }>;
      const entry = stored[t.server.url];
      expect(entry?.username).toBe("alice");
      expect(entry?.token).toMatch(/^\S{20,}$/);
      expect(readFileSync(file, "utf8")).not.toContain(PASSWORDS.alice);
      expect(out).not.toContain(entry?.token);

      // No --user, no --token: the stored token.
      const whoami = ok(await withStoredLogin(home, ["whoami"]));
      expect(whoami).toMatch(/^name:\s+alice$/m);
      expect(whoami).toMatch(/^kind:\s+user$/m);
      expect(whoami).toMatch(/^roles:\s+editor$/m);
      expect(whoami).toMatch(/^environments:\s+all$/m);
      expect(whoami).toMatch(/^credentials:\s+token from tradai login/m);
      const me = JSON.parse(ok(await withStoredLogin(home, ["--json", "whoami"])));
      expect(me).toEqual({ name: "alice", kind: "user", roles: ["editor"], environments: null, person: "alice" });

      const created = JSON.parse(
        ok(await withStoredLogin(home, ["--json", "config", "create", "LoginStrategy", "--data", '{"x":1}'])),
      );
      expect(created.created_by).toBe("alice");

      // --user alice without TRADAI_PASSWORD: alice's stored token.
      const named = await runCli(["whoami"], {
        url: t.server.url,
        env: { TRADAI_USER: "alice", XDG_CONFIG_HOME: home },
      });
      expect(ok(named)).toMatch(/^name:\s+alice$/m);
      // ... but not for somebody else.
      const other = await runCli(["whoami"], { url: t.server.url, env: { TRADAI_USER: "bob", XDG_CONFIG_HOME: home } });
      expect(other.code).toBe(2);
      expect(other.stderr).toContain("--user bob needs the password in TRADAI_PASSWORD");

      const logout = ok(await withStoredLogin(home, ["logout"]));
      expect(logout).toContain(`Logged out alice from ${t.server.url}; token removed from ${file}`);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({});

      // Nothing stored: the server says who may not.
      const after = await withStoredLogin(home, ["whoami"]);
      expect(after.code).toBe(1);
      expect(after.stderr).toContain("(HTTP 401)");
      expect(after.stderr).toContain("tradai --user <name> login");
      // The server ended the session too: the old token no longer works.
      const oldToken = await runCli(["whoami"], {
        url: t.server.url,
        env: { TRADAI_TOKEN: entry?.token ?? "", XDG_CONFIG_HOME: home },
      });
      expect(oldToken.code).toBe(1);
      expect(oldToken.stderr).toContain("(HTTP 401)");

      expect(ok(await withStoredLogin(home, ["logout"])).trim()).toBe(`Not logged in to ${t.server.url}`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("takes the password from TRADAI_PASSWORD too, and keeps one token per server URL", async () => {
    const home = mkdtempSync(join(tmpdir(), "tradai-cli-login-"));
    try {
      ok(
        await runCli(["--json", "login"], {
          url: t.server.url,
          env: { TRADAI_USER: "bob", TRADAI_PASSWORD: PASSWORDS.bob, XDG_CONFIG_HOME: home },
        }),
      );
      // The same server spelled with a trailing slash is the same entry.
      const whoami = await runCli(["--json", "whoami"], {
        url: `${t.server.url}/`,
        env: { TRADAI_TOKEN: "", XDG_CONFIG_HOME: home },
      });
      expect(JSON.parse(ok(whoami))).toMatchObject({ name: "bob", roles: ["approver"] });
      // Another server: not logged in there.
      const elsewhere = await runCli(["logout"], {
        url: "http://127.0.0.1:9",
        env: { TRADAI_TOKEN: "", XDG_CONFIG_HOME: home },
      });
      expect(ok(elsewhere).trim()).toBe("Not logged in to http://127.0.0.1:9");
      expect(Object.keys(JSON.parse(readFileSync(credentialsFile(home), "utf8")))).toEqual([t.server.url]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("a wrong password exits 1 with the server's message and stores nothing", async () => {
    const home = mkdtempSync(join(tmpdir(), "tradai-cli-login-"));
    try {
      const wrong = await runCli(["login"], {
        url: t.server.url,
        env: { TRADAI_USER: "carol", XDG_CONFIG_HOME: home },
        input: "not-carols-password\n",
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^Error: Authentication required \(HTTP 401\): wrong user name or password/m);
      expect(wrong.stderr).not.toContain("tradai --user <name> login");
      expect(existsSync(credentialsFile(home))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("login without a user name or a password is a usage error (exit 2)", async () => {
    const noPassword = await runCli(["login"], {
      url: t.server.url,
      env: { TRADAI_USER: "carol", XDG_CONFIG_HOME: configHome },
    });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain("no password for carol: set TRADAI_PASSWORD, or pipe it on stdin");
    const noUser = await runCli(["login"], {
      url: t.server.url,
      env: { TRADAI_TOKEN: "", XDG_CONFIG_HOME: configHome },
      input: "whatever-password\n",
    });
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain("give the user name");
  });

  it("password changes one's own password (piped: current, then new)", async () => {
    const api = createApiClient({
      baseUrl: t.server.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    await api.createUser("dave", "viewer", PASSWORDS.dave);
    const newPassword = "dave-password-new";
    const changed = await runCli(["password"], {
      url: t.server.url,
      env: { TRADAI_USER: "dave", XDG_CONFIG_HOME: configHome },
      input: `${PASSWORDS.dave}\n${newPassword}\n`,
    });
    expect(ok(changed)).toContain("Password changed for dave");
    const oldOne = await as("dave", "whoami");
    expect(oldOne.code).toBe(1);
    const newOne = await runCli(["whoami"], {
      url: t.server.url,
      env: { TRADAI_USER: "dave", TRADAI_PASSWORD: newPassword, XDG_CONFIG_HOME: configHome },
    });
    expect(ok(newOne)).toMatch(/^name:\s+dave$/m);
  });
});

describe(`tradai change-request (${backend})`, () => {
  it("alice proposes in prod, may not approve it herself; bob approves and it is active", async () => {
    const configId = await aliceCreates("ApprovalStrategy", { stoploss: -0.02, timeframe: "1h" });
    const proposal = proposed(await as("alice", "config", "activate", "ApprovalStrategy", configId, "--env", "prod"));
    expect(proposal).toContain(`change request`);
    expect(proposal).toContain(`to make ${configId} of ApprovalStrategy active in prod`);
    const id = proposedId(proposal);

    const listed = ok(await as("bob", "change-request", "list", "--status", "pending", "--env", "prod"));
    expect(listed).toMatch(
      new RegExp(`^${id}\\s+pending\\s+activation\\s+ApprovalStrategy\\s+${configId}\\s+prod\\s+0/1\\s+alice`, "m"),
    );

    const shown = ok(await as("alice", "change-request", "show", String(id)));
    expect(shown).toContain(`Change request ${id}: pending`);
    expect(shown).toContain("  diff:");
    expect(shown).toContain("    + stoploss = -0.02");
    expect(shown).toContain('    + timeframe = "1h"');

    const own = await as("alice", "change-request", "approve", String(id));
    expect(own.code).toBe(1);
    expect(own.stderr).toContain("(HTTP 403)");

    const approved = ok(await as("bob", "change-request", "approve", String(id), "--comment", "looks right"));
    expect(approved.trim()).toBe(
      `Approved change request ${id} (${configId} of ApprovalStrategy in prod): applied, ${configId} is now active in prod`,
    );

    const version = JSON.parse(
      ok(await as("alice", "--json", "config", "show", "ApprovalStrategy", configId, "--env", "prod")),
    );
    expect(version.status).toBe("active");

    const after = JSON.parse(ok(await as("carol", "--json", "change-request", "show", String(id))));
    expect(after).toMatchObject({ id, status: "applied", approvals: 1, closed_by: "bob" });
    expect(after.reviews).toEqual([
      expect.objectContaining({ reviewer: "bob", decision: "approve", comment: "looks right" }),
    ]);
    const applied = JSON.parse(ok(await as("carol", "--json", "cr", "list", "--status", "applied")));
    expect(applied.items.map((cr: { id: number }) => cr.id)).toContain(id);
  });

  it("reject needs --comment (exit 2 without); with it the request is rejected", async () => {
    const configId = await aliceCreates("RejectStrategy", { stoploss: -0.5 });
    const id = proposedId(
      proposed(await as("alice", "config", "activate", "RejectStrategy", configId, "--env", "prod")),
    );

    const bare = await as("bob", "change-request", "reject", String(id));
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--comment");
    const blank = await as("bob", "change-request", "reject", String(id), "--comment", " ");
    expect(blank.code).toBe(2);

    const rejected = ok(await as("bob", "change-request", "reject", String(id), "--comment", "stoploss far too wide"));
    expect(rejected).toMatch(new RegExp(`^Rejected change request ${id} .*: rejected$`, "m"));
    const shown = ok(await as("bob", "change-request", "show", String(id)));
    expect(shown).toContain(`Change request ${id}: rejected`);
    expect(shown).toContain("rejected by bob at ");
    expect(shown).toContain(": stoploss far too wide");
    const version = JSON.parse(
      ok(await as("bob", "--json", "config", "show", "RejectStrategy", configId, "--env", "prod")),
    );
    expect(version.status).toBe("draft");

    const again = await as("bob", "change-request", "approve", String(id));
    expect(again.code).toBe(1);
  });

  it("break-glass: admin only, needs --reason, applies at once", async () => {
    const configId = await aliceCreates("GlassStrategy", { stoploss: -0.03 });
    const id = proposedId(
      proposed(await as("alice", "config", "activate", "GlassStrategy", configId, "--env", "prod")),
    );

    expect((await admin("change-request", "break-glass", String(id))).code).toBe(2);
    const byBob = await as("bob", "change-request", "break-glass", String(id), "--reason", "exchange outage");
    expect(byBob.code).toBe(1);
    expect(byBob.stderr).toContain("(HTTP 403)");
    // prod's policy does not allow break-glass until an admin says so.
    const refused = await admin("change-request", "break-glass", String(id), "--reason", "exchange outage");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("(HTTP 403)");

    const api = createApiClient({
      baseUrl: t.server.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    // Allowing break-glass takes two people: admin proposes it, bob approves.
    const allow = proposed(await admin("env", "policy", "set", "prod", "--break-glass", "true"));
    expect(allow).toMatch(/^Proposed: change request \d+ to change the policy of prod: break_glass_allowed = true/);
    ok(await as("bob", "change-request", "approve", String(proposedId(allow))));
    try {
      const glass = ok(await admin("change-request", "break-glass", String(id), "--reason", "exchange outage"));
      expect(glass.trim()).toBe(
        `Break-glass: change request ${id} (${configId} of GlassStrategy in prod): applied, ${configId} is now active in prod`,
      );
      expect(ok(await admin("cr", "show", String(id)))).toContain("BREAK-GLASS: exchange outage");
    } finally {
      await api.updateEnvironmentPolicy("prod", { break_glass_allowed: false });
    }
  });

  it("an ID that is not a positive integer is a usage error (exit 2); an unknown one is 404 (exit 1)", async () => {
    for (const args of [
      ["show", "abc"],
      ["show", "1.5"],
      ["show", "0"],
      ["approve", "-3"],
      ["reject", "x", "--comment", "no"],
      ["break-glass", "1e3", "--reason", "r"],
    ]) {
      const result = await admin("change-request", ...args);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain("must be a positive integer");
    }
    const unknown = await admin("change-request", "show", "99999");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("(HTTP 404)");
    expect((await admin("change-request", "list", "--status", "open")).code).toBe(2);
  });
});

describe(`tradai audit (${backend})`, () => {
  it("verify says the chain is intact (exit 0); list filters; show prints one entry", async () => {
    await aliceCreates("AuditStrategy", { stoploss: -0.07 });

    const verified = ok(await as("carol", "audit", "verify"));
    const match = /^audit chain intact: (\d+) entries, head seq (\d+)$/.exec(verified.trim());
    expect(match, verified).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);
    const verification = JSON.parse(ok(await as("carol", "--json", "audit", "verify")));
    expect(verification).toMatchObject({ ok: true, first_broken: null });

    const creates = JSON.parse(ok(await as("carol", "--json", "audit", "list", "--action", "config.create")));
    expect(creates.items.length).toBeGreaterThan(0);
    for (const entry of creates.items) expect(entry.action).toBe("config.create");
    const mine = creates.items.find((e: { target_id: string }) => e.target_id.startsWith("AuditStrategy/"));
    expect(mine).toMatchObject({ actor: "alice", target_type: "config_version" });

    const table = ok(await as("carol", "audit", "list", "--actor", "alice", "--target-id", mine.target_id));
    expect(table).toMatch(/^1 audit entry$/m);
    expect(table).toMatch(/^SEQ\s+AT\s+ACTOR\s+ACTION\s+TARGET\s+ENV$/m);
    expect(table).toMatch(
      new RegExp(`^${mine.seq}\\s+\\S+ \\S+\\s+alice\\s+config.create\\s+config_version ${mine.target_id}\\s+-$`, "m"),
    );

    const paged = JSON.parse(ok(await as("carol", "--json", "audit", "list", "--limit", "1")));
    expect(paged.items).toHaveLength(1);
    expect(paged.next_offset).toBe(1);

    const shown = ok(await as("carol", "audit", "show", String(mine.seq)));
    expect(shown).toMatch(new RegExp(`^seq:\\s+${mine.seq}$`, "m"));
    expect(shown).toMatch(/^action:\s+config.create$/m);
    expect(shown).toContain('"stoploss": -0.07');

    expect((await as("carol", "audit", "show", "first")).code).toBe(2);
    expect((await as("carol", "audit", "list", "--limit", "many")).code).toBe(2);
    const badTime = await as("carol", "audit", "list", "--since", "yesterday");
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain("since");
  });

  it("restore makes a config.create entry's content active again, through approval where needed", async () => {
    const first = await aliceCreates("RestoreStrategy", { stoploss: -0.01 });
    const second = await aliceCreates("RestoreStrategy", { stoploss: -0.09 });
    ok(await as("alice", "config", "activate", "RestoreStrategy", first, "--env", "staging"));
    ok(await as("alice", "config", "activate", "RestoreStrategy", second, "--env", "staging"));
    const creates = JSON.parse(
      ok(
        await as(
          "alice",
          "--json",
          "audit",
          "list",
          "--action",
          "config.create",
          "--target-id",
          `RestoreStrategy/${first}`,
        ),
      ),
    );
    const seq = String(creates.items[0].seq);

    const restored = ok(await as("alice", "audit", "restore", seq, "--env", "staging", "--expect", second));
    expect(restored.trim()).toBe(`Activated ${first} of RestoreStrategy in staging (supersedes ${second})`);
    const stale = await as("alice", "audit", "restore", seq, "--env", "staging", "--expect", second);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("(HTTP 412)");

    const proposal = proposed(await as("alice", "audit", "restore", seq, "--env", "prod"));
    expect(proposal).toMatch(
      new RegExp(`^Proposed: change request \\d+ to make ${first} of RestoreStrategy active in prod`),
    );

    const notACreate = await as("alice", "audit", "restore", "1");
    expect(notACreate.code).toBe(1);
    expect(notACreate.stderr).toContain("not a config.create");
  });
});

describe(`tradai user and token (${backend})`, () => {
  it("admin creates a user and changes it; others may not", async () => {
    const created = await runCli(["user", "create", "erin", "--role", "editor"], {
      url: t.server.url,
      env: { XDG_CONFIG_HOME: configHome, TRADAI_NEW_PASSWORD: "erin-password-0" },
    });
    expect(ok(created).trim()).toBe("Created user erin: editor, enabled");
    const listed = ok(await admin("user", "list"));
    expect(listed).toMatch(/^erin\s+editor\s+enabled\s/m);

    expect(ok(await admin("user", "set", "erin", "--role", "approver", "--disable")).trim()).toBe(
      "Updated user erin: approver, disabled",
    );
    expect((await admin("user", "set", "erin")).code).toBe(2);
    expect((await admin("user", "create", "frank", "--role", "boss")).code).toBe(2);
    const byAlice = await as("alice", "user", "list");
    expect(byAlice.code).toBe(1);
    expect(byAlice.stderr).toContain("(HTTP 403)");
  });

  it("token create prints the secret once; the token works until revoked", async () => {
    const created = ok(
      await admin(
        "token",
        "create",
        "ci-deployer",
        "--role",
        "editor",
        "--env",
        "dev,staging",
        "--expires-in-days",
        "7",
      ),
    );
    expect(created).toMatch(/^Created token (\d+) "ci-deployer" \(roles: editor; environments: dev, staging; expires /);
    expect(created).toContain("shown once");
    const id = /^Created token (\d+)/.exec(created)?.[1] ?? "";
    const secret = created
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "" && !l.includes(" "));
    expect(secret).toBeTruthy();

    const listed = ok(await admin("token", "list"));
    expect(listed).toMatch(new RegExp(`^${id}\\s+ci-deployer\\s+\\S+\\s+editor\\s+dev, staging\\s+.*active$`, "m"));
    expect(listed).not.toContain(secret);

    const asToken = await runCli(["--json", "whoami"], {
      url: t.server.url,
      env: { TRADAI_TOKEN: secret ?? "", XDG_CONFIG_HOME: configHome },
    });
    expect(JSON.parse(ok(asToken))).toEqual({
      name: "token:ci-deployer",
      kind: "token",
      roles: ["editor"],
      environments: ["dev", "staging"],
      person: "admin", // it acts for the admin who made it
    });

    expect(ok(await admin("token", "revoke", id))).toMatch(/^Revoked token/);
    const revoked = await runCli(["whoami"], {
      url: t.server.url,
      env: { TRADAI_TOKEN: secret ?? "", XDG_CONFIG_HOME: configHome },
    });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain("(HTTP 401)");
    expect((await admin("token", "create", "x", "--role", "root")).code).toBe(2);
    expect((await admin("token", "revoke", "abc")).code).toBe(2);
  });
});
