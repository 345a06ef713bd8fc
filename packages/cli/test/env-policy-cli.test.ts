/**
 * Environment policy and freeze windows from the CLI against a real `tradai serve` process:
 * `tradai env list|show`, `tradai env policy set`, `tradai env freeze add|remove|list`; a freeze
 * window refusing an activation (423) unless an admin overrides it; with their exit codes
 * (1: the server refused, 2: usage).
 */
import { createApiClient } from "@tradai/client";
import type { EnvironmentView, FreezeWindow } from "@tradai/core";
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
let api: ReturnType<typeof createApiClient>;

const ALICE_PASSWORD = "alice-password-0";

const ok = (result: CliResult) => t.ok(result);

/** `tradai ...args` as alice (an editor). */
const asAlice = (...args: string[]) =>
  runCli(args, { url: t.server.url, env: { TRADAI_USER: "alice", TRADAI_PASSWORD: ALICE_PASSWORD } });

const showJson = async (name: string) => JSON.parse(ok(await t.cli("--json", "env", "show", name))) as EnvironmentView;

/** Exit 2 with a message, and nothing sent to the server. */
function expectUsageError(result: CliResult, message: string | RegExp): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toContain("HTTP");
}

/** Exit 1 with the server's problem of this status. */
function expectRefusal(result: CliResult, status: number): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(1);
  expect(result.stderr).toContain(`(HTTP ${status})`);
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

beforeAll(async () => {
  t = await startCliTestServer();
  api = createApiClient({
    baseUrl: t.server.url,
    credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
  });
  await api.createUser("alice", "editor", ALICE_PASSWORD);
});

afterAll(async () => {
  await t?.close();
});

describe(`tradai env list, show and policy set (${backend})`, () => {
  it("env list shows each environment's approval policy, promotion source, break-glass and freeze", async () => {
    const out = ok(await t.cli("env", "list"));
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+DEFAULT\s+APPROVAL\s+PROMOTE_FROM\s+BREAK_GLASS\s+FROZEN$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(["dev", "staging", "prod"]);
    expect(out).toMatch(/^dev\s+yes\s+no\s+-\s+\S+\s+-$/m);
    expect(out).toMatch(/^staging\s+no\s+no\s+dev\s+\S+\s+-$/m);
    expect(out).toMatch(/^prod\s+no\s+yes, 1 approval\s+staging\s+\S+\s+-$/m);

    const list = JSON.parse(ok(await t.cli("--json", "env", "list"))) as { items: EnvironmentView[] };
    expect(list.items.map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
    expect(list.items.find((e) => e.name === "prod")).toMatchObject({
      requires_approval: true,
      approvals_required: 1,
      promote_from: "staging",
      frozen: false,
      freeze_windows: [],
    });
  });

  it("env show prints one environment's policy", async () => {
    const out = ok(await t.cli("env", "show", "prod"));
    expect(out).toMatch(/^environment:\s+prod$/m);
    expect(out).toMatch(/^approval:\s+yes, 1 approval$/m);
    expect(out).toMatch(/^promote from:\s+staging$/m);
    expect(out).toMatch(/^frozen:\s+no$/m);
    expect(out).toMatch(/^freeze windows: none$/m);
  });

  it("policy set changes only the options given, as env show --json and env list then show", async () => {
    const before = await showJson("prod");
    const out = ok(await t.cli("env", "policy", "set", "prod", "--approvals", "2"));
    expect(out).toContain("Policy of prod updated");
    expect(out).toMatch(/^approval:\s+yes, 2 approvals$/m);

    const after = await showJson("prod");
    expect(after).toMatchObject({
      requires_approval: true,
      approvals_required: 2,
      promote_from: "staging",
      break_glass_allowed: false,
      updated_by: "admin",
    });
    expect(after.updated_at).not.toBe(before.updated_at);
    expect(ok(await t.cli("env", "list"))).toMatch(/^prod\s+no\s+yes, 2 approvals\s+staging\s+no\s+-$/m);

    // Turning approval off and allowing break-glass weaken governance: proposed, not applied.
    const weaker = t.proposed(
      await t.cli(
        "env",
        "policy",
        "set",
        "prod",
        "--promote-from",
        "none",
        "--requires-approval",
        "FALSE",
        "--break-glass",
        "true",
      ),
    );
    const id = Number(/^Proposed: change request (\d+) to change the policy of prod: /.exec(weaker)?.[1]);
    expect(weaker).toContain("weakens governance: policy prod turns approval off");
    expect(weaker).toContain("weakens governance: policy prod allows break-glass");
    expect(weaker).toContain("needs 2 approval(s) from someone other than admin");
    expect(await showJson("prod")).toMatchObject({ requires_approval: true, promote_from: "staging" });
    // Two people other than admin approve it; --json shows the applied request.
    for (const [i, name] of ["pat", "quinn"].entries()) {
      await api.createUser(name, "approver", `${name}-password-0`);
      const approved = JSON.parse(
        ok(
          await runCli(["--json", "change-request", "approve", String(id)], {
            url: t.server.url,
            env: { TRADAI_USER: name, TRADAI_PASSWORD: `${name}-password-0` },
          }),
        ),
      );
      expect(approved.status).toBe(i === 0 ? "pending" : "applied");
    }
    expect(await showJson("prod")).toMatchObject({
      name: "prod",
      requires_approval: false,
      promote_from: null,
      approvals_required: 2,
      break_glass_allowed: true,
    });
    expect(ok(await t.cli("env", "list"))).toMatch(/^prod\s+no\s+no\s+-\s+allowed\s+-$/m);

    // Back to how it was: strengthening applies at once, lowering the approvals is proposed.
    ok(
      await t.cli(
        ...["env", "policy", "set", "prod", "--requires-approval", "true"],
        ...["--promote-from", "staging", "--break-glass", String(before.break_glass_allowed)],
      ),
    );
    const lower = t.proposed(await t.cli("--json", "env", "policy", "set", "prod", "--approvals", "1"));
    const lowerId = (JSON.parse(lower) as { change_request: { id: number } }).change_request.id;
    for (const name of ["pat", "quinn"]) {
      await runCli(["change-request", "approve", String(lowerId)], {
        url: t.server.url,
        env: { TRADAI_USER: name, TRADAI_PASSWORD: `${name}-password-0` },
      });
    }
    const restored = await showJson("prod");
    expect({ ...restored, updated_at: null, updated_by: null }).toEqual({
      ...before,
      updated_at: null,
      updated_by: null,
    });
  });

  it("an editor's policy set exits 1 (403) and changes nothing", async () => {
    const before = await showJson("prod");
    const refused = await asAlice("env", "policy", "set", "prod", "--requires-approval", "false");
    expectRefusal(refused, 403);
    expect(refused.stderr).toContain("environments.write");
    expect(await showJson("prod")).toEqual(before);
    // Reading is for everyone.
    expect(ok(await asAlice("env", "list"))).toMatch(/^prod\s+no\s+yes, 1 approval/m);
  });

  it("the server's refusals exit 1: an unknown environment (404), promoting from itself (422)", async () => {
    const unknown = await t.cli("env", "policy", "set", "qa", "--approvals", "2");
    expectRefusal(unknown, 404);
    expect(unknown.stderr).toContain('unknown environment "qa"');
    expectRefusal(await t.cli("env", "show", "qa"), 404);

    const itself = await t.cli("env", "policy", "set", "prod", "--promote-from", "prod");
    expectRefusal(itself, 422);
    expect(itself.stderr).toContain("promote_from (body)");
  });

  it("usage errors exit 2 and change nothing", async () => {
    const before = await showJson("prod");
    expectUsageError(await t.cli("env", "policy", "set", "prod"), /give at least one of --requires-approval/);
    expectUsageError(await t.cli("env", "policy", "set", "prod", "--requires-approval", "maybe"), /"true" or "false"/);
    expectUsageError(await t.cli("env", "policy", "set", "prod", "--break-glass", "yes"), /"true" or "false"/);
    for (const bad of ["0", "11", "two", "1.5"]) {
      expectUsageError(await t.cli("env", "policy", "set", "prod", "--approvals", bad), /from 1 to 10/);
    }
    expectUsageError(await t.cli("env", "policy", "set", "prod", "--promote-from", " "), /--promote-from needs/);
    expectUsageError(await t.cli("env", "policy", "set", "--approvals", "2"), /missing required argument|ENV/i);
    expectUsageError(await t.cli("env", "show"), /missing required argument/);
    expect(await showJson("prod")).toEqual(before);
  });
});

describe(`tradai env freeze (${backend})`, () => {
  it("a one-off window covering now refuses activations (423) until removed; an admin may override it", async () => {
    const create = async (x: number) =>
      (
        JSON.parse(
          ok(await t.cli("--json", "config", "create", "FreezeStrategy", "--data", JSON.stringify({ x }))),
        ) as {
          config_id: string;
        }
      ).config_id;
    const [v1, v2, v3] = [await create(1), await create(2), await create(3)];

    const added = ok(
      await t.cli(
        ...["env", "freeze", "add", "staging", "--reason", "quarter-end release"],
        ...["--from", minutesFromNow(-5), "--until", minutesFromNow(60)],
      ),
    );
    const match = /^Added freeze window (\d+) to staging \(one-off, .+\): active now, until \S+ \S+Z$/m.exec(added);
    expect(match, added).not.toBeNull();
    const id = Number(match?.[1]);

    const staging = await showJson("staging");
    expect(staging.frozen).toBe(true);
    expect(staging.freeze_windows).toEqual([
      expect.objectContaining({ id, kind: "one-off", reason: "quarter-end release", active_now: true }),
    ]);
    expect(ok(await t.cli("env", "list"))).toMatch(
      new RegExp(
        `^staging\\s+no\\s+no\\s+dev\\s+\\S+\\s+until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ \\(window ${id}\\)$`,
        "m",
      ),
    );
    const listed = ok(await t.cli("env", "freeze", "list", "staging"));
    expect(listed).toMatch(
      new RegExp(`^${id}\\s+one-off\\s+.+\\s+yes, until .+\\s+admin\\s+quarter-end release$`, "m"),
    );
    const listedJson = JSON.parse(ok(await t.cli("--json", "env", "freeze", "list", "staging")));
    expect(listedJson).toMatchObject({ environment: "staging", frozen: true, items: [{ id, active_now: true }] });
    expect(ok(await t.cli("env", "show", "staging"))).toMatch(/^frozen:\s+until .+ \(window \d+\)$/m);

    const refused = await t.cli("config", "activate", "FreezeStrategy", v1, "--env", "staging");
    expectRefusal(refused, 423);
    expect(refused.stderr).toContain(`freeze window ${id}`);
    // Only an admin may override.
    expectRefusal(
      await asAlice("config", "activate", "FreezeStrategy", v1, "--env", "staging", "--freeze-override", "hotfix"),
      403,
    );
    const overridden = ok(
      await t.cli("config", "activate", "FreezeStrategy", v1, "--env", "staging", "--freeze-override", "hotfix"),
    );
    expect(overridden).toContain(`Activated ${v1} of FreezeStrategy in staging`);
    // Base values and catalog defaults that change what staging resolves are frozen too.
    const base = await t.cli("env", "base", "set", "staging", "--data", '{"venue":"binance"}');
    expectRefusal(base, 423);
    expect(
      ok(
        await t.cli(
          "env",
          "base",
          "set",
          "staging",
          "--data",
          '{"venue":"binance"}',
          "--freeze-override",
          "venue outage",
        ),
      ),
    ).toMatch(/^staging base values saved as revision \d+/);
    const catalogDefault = [
      "catalog",
      "set",
      "fee_tier",
      "--type",
      "int",
      "--description",
      "Fee tier",
      "--default",
      "1",
    ];
    expectRefusal(await t.cli(...catalogDefault), 423);
    expect(ok(await t.cli(...catalogDefault, "--freeze-override", "venue outage"))).toMatch(
      /^Created fee_tier: catalog revision \d+/,
    );

    const removed = ok(await t.cli("env", "freeze", "remove", "staging", String(id)));
    expect(removed).toContain(`Removed freeze window ${id} from staging`);
    expect((await showJson("staging")).frozen).toBe(false);
    expect(ok(await t.cli("env", "freeze", "list", "staging")).trim()).toBe("No freeze windows in staging.");
    expect(ok(await t.cli("config", "activate", "FreezeStrategy", v2, "--env", "staging"))).toContain(
      `Activated ${v2} of FreezeStrategy in staging`,
    );

    // Gone: removing it again is the server's 404.
    const again = await t.cli("env", "freeze", "remove", "staging", String(id));
    expectRefusal(again, 404);
    expect(again.stderr).toContain(`staging has no freeze window ${id}`);

    // --json: the window added, then the window removed.
    const window = JSON.parse(
      ok(
        await t.cli(
          ...["--json", "env", "freeze", "add", "staging", "--reason", "short"],
          ...["--from", minutesFromNow(-1), "--until", minutesFromNow(30)],
        ),
      ),
    ) as FreezeWindow;
    expect(window).toMatchObject({ environment: "staging", kind: "one-off", active_now: true, created_by: "admin" });
    expectRefusal(await t.cli("config", "activate", "FreezeStrategy", v3, "--env", "staging"), 423);
    const gone = JSON.parse(ok(await t.cli("--json", "env", "freeze", "remove", "staging", String(window.id))));
    expect(gone).toMatchObject({ id: window.id, reason: "short" });
    ok(await t.cli("config", "activate", "FreezeStrategy", v3, "--env", "staging"));
  });

  it("windows that do not cover now are listed but do not freeze; recurring ones take a cron, a duration and a zone", async () => {
    const later = ok(
      await t.cli(
        ...["env", "freeze", "add", "dev", "--reason", "tomorrow"],
        ...["--from", minutesFromNow(24 * 60), "--until", minutesFromNow(25 * 60)],
      ),
    );
    expect(later).toMatch(/^Added freeze window \d+ to dev \(one-off, .+\): not active now$/m);

    const weekly = JSON.parse(
      ok(
        await t.cli(
          ...["--json", "env", "freeze", "add", "dev", "--reason", "weekly close"],
          ...["--cron", "0 16 * * 5", "--duration", "1h30m", "--tz", "Europe/London"],
        ),
      ),
    ) as FreezeWindow;
    expect(weekly).toMatchObject({
      kind: "recurring",
      cron: "0 16 * * 5",
      duration_seconds: 5400,
      time_zone: "Europe/London",
      starts_at: null,
    });
    // Plain seconds, and UTC by default.
    const leapDay = JSON.parse(
      ok(
        await t.cli(
          ...["--json", "env", "freeze", "add", "dev", "--reason", "leap day"],
          ...["--cron", "0 0 29 2 *", "--duration", "120"],
        ),
      ),
    ) as FreezeWindow;
    expect(leapDay).toMatchObject({ kind: "recurring", duration_seconds: 120, time_zone: "UTC" });

    const listed = ok(await t.cli("env", "freeze", "list", "dev"));
    expect(listed).toMatch(/^\d+\s+one-off\s+.+ -> .+\s+no\s+admin\s+tomorrow$/m);
    expect(listed).toMatch(/^\d+\s+recurring\s+cron "0 16 \* \* 5" for 1h30m \(Europe\/London\)\s+.+\s+weekly close$/m);
    expect(listed).toMatch(/^\d+\s+recurring\s+cron "0 0 29 2 \*" for 2m \(UTC\)\s+.+\s+leap day$/m);
    const dev = await showJson("dev");
    expect(dev.freeze_windows).toHaveLength(3);

    for (const w of dev.freeze_windows) ok(await t.cli("env", "freeze", "remove", "dev", String(w.id)));
    expect((await showJson("dev")).freeze_windows).toEqual([]);
  });

  it("a recurring window the server cannot use exits 1 with its 422 naming the field; an editor gets 403", async () => {
    const fourFields = await t.cli(
      ...["env", "freeze", "add", "dev", "--reason", "bad"],
      ...["--cron", "0 16 * *", "--duration", "2h"],
    );
    expectRefusal(fourFields, 422);
    expect(fourFields.stderr).toContain("cron (body): must have five fields");

    const outOfRange = await t.cli(
      ...["env", "freeze", "add", "dev", "--reason", "bad"],
      ...["--cron", "99 16 * * 5", "--duration", "2h"],
    );
    expectRefusal(outOfRange, 422);
    expect(outOfRange.stderr).toContain("cron (body): not a cron expression");

    const zone = await t.cli(
      ...["env", "freeze", "add", "dev", "--reason", "bad"],
      ...["--cron", "0 16 * * 5", "--duration", "2h", "--tz", "Mars/Olympus"],
    );
    expectRefusal(zone, 422);
    expect(zone.stderr).toContain("time_zone (body)");

    const short = await t.cli(
      ...["env", "freeze", "add", "dev", "--reason", "bad", "--cron", "0 16 * * 5"],
      "--duration",
      "30",
    );
    expectRefusal(short, 422);
    expect(short.stderr).toContain("duration_seconds (body)");

    expectRefusal(
      await asAlice(
        ...["env", "freeze", "add", "dev", "--reason", "mine"],
        ...["--from", minutesFromNow(-1), "--until", minutesFromNow(10)],
      ),
      403,
    );
    expectRefusal(
      await t.cli("env", "freeze", "add", "qa", "--reason", "x", "--cron", "0 1 * * *", "--duration", "1h"),
      404,
    );
    expect((await showJson("dev")).freeze_windows).toEqual([]);
  });

  it("a freeze window needs exactly one of the two forms and a reason, else exit 2 and nothing is added", async () => {
    const [from, until] = [minutesFromNow(-1), minutesFromNow(60)];
    const add = (...args: string[]) => t.cli("env", "freeze", "add", "dev", ...args);
    expectUsageError(await add("--reason", "x"), /give either --from and --until .* or --cron and --duration/);
    expectUsageError(
      await add("--reason", "x", "--from", from, "--until", until, "--cron", "0 1 * * *", "--duration", "1h"),
      /not both/,
    );
    expectUsageError(await add("--reason", "x", "--from", from, "--tz", "UTC"), /not both/);
    expectUsageError(await add("--reason", "x", "--from", from), /needs both --from and --until/);
    expectUsageError(await add("--reason", "x", "--until", until), /needs both --from and --until/);
    expectUsageError(await add("--reason", "x", "--cron", "0 1 * * *"), /needs both --cron and --duration/);
    expectUsageError(await add("--reason", "x", "--duration", "1h"), /needs both --cron and --duration/);
    expectUsageError(await add("--reason", "x", "--tz", "UTC"), /needs both --cron and --duration/);
    expectUsageError(await add("--from", from, "--until", until), /required option '--reason/);
    expectUsageError(await add("--reason", "  ", "--from", from, "--until", until), /--reason must say why/);
    expect((await showJson("dev")).freeze_windows).toEqual([]);
  });

  it("bad times, durations and ids are usage errors (exit 2) too", async () => {
    const [from, until] = [minutesFromNow(-1), minutesFromNow(60)];
    const add = (...args: string[]) => t.cli("env", "freeze", "add", "dev", ...args);
    expectUsageError(await add("--reason", "x", "--from", until, "--until", from), /--until must be after --from/);
    for (const bad of ["2026-11-23T10:00:00", "2026-11-23", "tomorrow", "2026-02-30T10:00:00Z"]) {
      expectUsageError(await add("--reason", "x", "--from", bad, "--until", until), /ISO 8601 time with its offset/);
    }
    for (const bad of ["2x", "1.5h", "-60", "0", "h"]) {
      expectUsageError(
        await add("--reason", "x", "--cron", "0 1 * * *", "--duration", bad),
        /(seconds|longer than zero)/,
      );
    }
    expectUsageError(await t.cli("env", "freeze", "remove", "dev", "x"), /must be a positive integer/);
    expectUsageError(await t.cli("env", "freeze", "remove", "dev"), /missing required argument 'ID'/);
    expectUsageError(await t.cli("env", "freeze", "list"), /missing required argument 'ENV'/);
    expect((await showJson("dev")).freeze_windows).toEqual([]);
  });
});
