/**
 * The `tradai config` commands against a real `tradai serve` process: the seed verification
 * guide's steps 1-3 as written, dedup (checklist row 2), deprecation, --json, --env, --file, and
 * every kind of failure with its exit code (1: the server refused, 2: usage).
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import {
  type CliResult,
  type CliTestServer,
  runCli,
  startCliTestServer,
} from "../../../test-support/server-process.js";

// The guide's data, its RFC 8785 canonical text and SHA-256, worked out independently of core.
const SEED_DATA = '{"timeframe":"1h","stoploss":-0.02,"stake_amount":150}';
const SEED_CANONICAL = '{"stake_amount":150,"stoploss":-0.02,"timeframe":"1h"}';
const SEED_HASH = createHash("sha256").update(SEED_CANONICAL).digest("hex");
const SEED_ID = `v1-${SEED_HASH.slice(0, 8)}`;

let t: CliTestServer;

const cli = (...args: string[]) => t.cli(...args);

const ok = (result: CliResult) => t.ok(result);

/** `config create` output starts with "Created <id>" or "Identical content already exists as <id> ..." */
function idOf(stdout: string): string {
  const match = /^(?:Created|Identical content already exists as) (v\d+-[0-9a-f]{8})\b/.exec(stdout);
  if (!match?.[1]) throw new Error(`no config id in:\n${stdout}`);
  return match[1];
}

/** The cells of the `config list` table row of one config id. */
function row(stdout: string, configId: string): string[] | undefined {
  const line = stdout.split("\n").find((l) => l.startsWith(`${configId} `));
  return line?.split(/\s{2,}/);
}

/** A `key: value` line of `config show` output. */
function field(stdout: string, key: string): string | undefined {
  return new RegExp(`^${key}:\\s+(.*)$`, "m").exec(stdout)?.[1];
}

async function create(strategy: string, data: object): Promise<string> {
  return idOf(ok(await cli("config", "create", strategy, "--data", JSON.stringify(data))));
}

/** Nothing was stored for a strategy that had no version: it stays unknown. */
async function expectNoStrategy(strategy: string): Promise<void> {
  const list = await cli("config", "list", strategy);
  expect(list.code).toBe(1);
  expect(list.stderr).toContain(`Error: Not found (HTTP 404): unknown strategy "${strategy}"`);
}

beforeAll(async () => {
  t = await startCliTestServer();
});

afterAll(() => t?.close());

describe(`tradai config against a server process (${backend})`, () => {
  it("walks the seed guide's steps 1-3: create, activate, list shows ACTIVE, show has the data", async () => {
    // Step 1
    const created = ok(await cli("config", "create", "StochRsiStrategy", "--data", SEED_DATA));
    const configId = idOf(created);
    expect(configId).toBe(SEED_ID);
    expect(created).toMatch(/^Created v1-/);
    expect(field(created, "config_hash")).toBe(SEED_HASH);
    expect(field(created, "status")).toBe("draft");

    // Step 2
    const activated = ok(await cli("config", "activate", "StochRsiStrategy", configId));
    expect(activated.trim()).toBe(`Activated ${configId} of StochRsiStrategy in dev`);

    // Step 3
    const list = ok(await cli("config", "list", "StochRsiStrategy"));
    expect(list.split("\n")[0]).toBe("StochRsiStrategy in dev: 1 version(s)");
    expect(row(list, configId)?.[1]).toBe("ACTIVE");

    const active = ok(await cli("config", "list", "StochRsiStrategy", "--status", "active"));
    expect(active.split("\n")[0]).toBe("StochRsiStrategy in dev: 1 version(s)");
    expect(row(active, configId)?.[1]).toBe("ACTIVE");

    const shown = ok(await cli("config", "show", "StochRsiStrategy", configId));
    expect(field(shown, "config_id")).toBe(configId);
    expect(field(shown, "status")).toBe("active");
    expect(field(shown, "environment")).toBe("dev");
    expect(JSON.parse(shown.slice(shown.indexOf("config_data:\n") + "config_data:\n".length))).toEqual(
      JSON.parse(SEED_DATA),
    );
  });

  it("gives the same config_id for the same data posted twice (checklist row 2)", async () => {
    const data = '{"timeframe":"4h","stoploss":-0.05}';
    const first = ok(await cli("config", "create", "DedupStrategy", "--data", data));
    const second = ok(
      await cli("config", "create", "DedupStrategy", "--data", '{ "stoploss": -0.05, "timeframe": "4h" }'),
    );
    expect(first).toMatch(/^Created v1-[0-9a-f]{8}\n/);
    expect(second).toMatch(/^Identical content already exists as v1-[0-9a-f]{8} \(no new version created\)\n/);
    expect(idOf(second)).toBe(idOf(first));

    // The same through the REST API, as the checklist does it with curl.
    const post = () =>
      adminFetch(`${t.server.url}/api/v1/configs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"strategy_name":"DedupStrategy","config_data":${data},"description":"test config"}`,
      });
    const third = await post();
    expect(third.status).toBe(200);
    expect(await third.json()).toMatchObject({ config_id: idOf(first), deduplicated: true, version_number: 1 });

    const list = ok(await cli("config", "list", "DedupStrategy"));
    expect(list.split("\n")[0]).toBe("DedupStrategy in dev: 1 version(s)");
  });

  it("filters by status, in lower or upper case", async () => {
    const v1 = await create("FilterStrategy", { rsi_period: 14 });
    const v2 = await create("FilterStrategy", { rsi_period: 21 });
    ok(await cli("config", "activate", "FilterStrategy", v2));

    for (const status of ["active", "ACTIVE"]) {
      const active = ok(await cli("config", "list", "FilterStrategy", "--status", status));
      expect(active.split("\n")[0]).toBe("FilterStrategy in dev: 1 version(s)");
      expect(row(active, v2)?.[1]).toBe("ACTIVE");
      expect(row(active, v1)).toBeUndefined();
    }
    const drafts = ok(await cli("config", "list", "FilterStrategy", "--status", "draft"));
    expect(row(drafts, v1)?.[1]).toBe("DRAFT");
    expect(row(drafts, v2)).toBeUndefined();

    const bad = await cli("config", "list", "FilterStrategy", "--status", "retired");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are");
  });

  it("supersedes on activation, refuses to deprecate what runs, deprecates for good, and rolls back to a superseded one", async () => {
    const v1 = await create("DeprecateStrategy", { stoploss: -0.01 });
    const v2 = await create("DeprecateStrategy", { stoploss: -0.02 });
    const v3 = await create("DeprecateStrategy", { stoploss: -0.03 });
    expect([v1, v2, v3].map((id) => id.split("-")[0])).toEqual(["v1", "v2", "v3"]);
    ok(await cli("config", "activate", "DeprecateStrategy", v1));
    const superseding = ok(await cli("config", "activate", "DeprecateStrategy", v2));
    expect(superseding.trim()).toBe(`Activated ${v2} of DeprecateStrategy in dev (supersedes ${v1})`);

    let list = ok(await cli("config", "list", "DeprecateStrategy"));
    expect(row(list, v2)?.[1]).toBe("ACTIVE");
    expect(row(list, v1)?.[1]).toBe("DEPRECATED");
    expect(row(list, v1)?.[4]).toBe(v2); // SUPERSEDED_BY

    // The active version cannot be deprecated: dev would have nothing to resolve.
    const running = await cli("config", "deprecate", "DeprecateStrategy", v2);
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(
      /^Error: Conflict \(HTTP 409\): .*is active in dev; deprecating it would leave nothing/,
    );
    ok(await cli("config", "activate", "DeprecateStrategy", v3));

    const deprecated = ok(await cli("config", "deprecate", "DeprecateStrategy", v2, "--reason", "stop too tight"));
    expect(deprecated).toMatch(new RegExp(`^Deprecated ${v2} of DeprecateStrategy; it will be purged after \\d{4}-`));
    const shown = ok(await cli("config", "show", "DeprecateStrategy", v2));
    expect(field(shown, "status")).toBe("deprecated (explicitly deprecated)");
    expect(field(shown, "purge_after")).toMatch(/^\d{4}-\d\d-\d\d /);

    const again = ok(await cli("config", "deprecate", "DeprecateStrategy", v2));
    expect(again.trim()).toBe(`${v2} was already deprecated (nothing changed)`);
    const active = ok(await cli("config", "list", "DeprecateStrategy", "--status", "active"));
    expect(active.trim().split("\n")[0]).toBe("DeprecateStrategy in dev: 1 version(s)");

    const refused = await cli("config", "activate", "DeprecateStrategy", v2);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: Conflict \(HTTP 409\): .*explicitly deprecated/);

    ok(await cli("config", "activate", "DeprecateStrategy", v1)); // rollback: v1 was only superseded
    list = ok(await cli("config", "list", "DeprecateStrategy"));
    expect(row(list, v1)?.[1]).toBe("ACTIVE");
    expect(row(list, v2)?.[1]).toBe("DEPRECATED");
  });

  it("prints parseable JSON with --json", async () => {
    const data = { timeframe: "15m", max_open_trades: 3 };
    const created = JSON.parse(
      ok(await cli("--json", "config", "create", "JsonStrategy", "--data", JSON.stringify(data), "--description", "d")),
    );
    expect(created).toMatchObject({
      strategy_name: "JsonStrategy",
      config_id: expect.stringMatching(/^v1-[0-9a-f]{8}$/),
      version_number: 1,
      config_data: data,
      description: "d",
      status: "draft",
      environment: "dev",
      deduplicated: false,
    });
    expect(created.config_id).toBe(`v1-${created.config_hash.slice(0, 8)}`);

    const duplicate = JSON.parse(
      ok(await cli("config", "create", "JsonStrategy", "--data", JSON.stringify(data), "--json")),
    );
    expect(duplicate).toMatchObject({ config_id: created.config_id, deduplicated: true });

    const activated = JSON.parse(ok(await cli("--json", "config", "activate", "JsonStrategy", created.config_id)));
    expect(activated).toMatchObject({ status: "active", changed: true, previous_config_id: null });
    const unchanged = JSON.parse(ok(await cli("--json", "config", "activate", "JsonStrategy", created.config_id)));
    expect(unchanged).toMatchObject({ status: "active", changed: false });

    const list = JSON.parse(ok(await cli("--json", "config", "list", "JsonStrategy")));
    expect(list).toMatchObject({ strategy_name: "JsonStrategy", environment: "dev", total: 1, next_offset: null });
    expect(list.items.map((v: { config_id: string; status: string }) => [v.config_id, v.status])).toEqual([
      [created.config_id, "active"],
    ]);

    const shown = JSON.parse(ok(await cli("--json", "config", "show", "JsonStrategy", created.config_id)));
    expect(shown).toMatchObject({ config_id: created.config_id, config_data: data, status: "active" });
  });

  it("pages with --limit and --offset", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await create("PagedStrategy", { step: i }));
    const first = JSON.parse(ok(await cli("--json", "config", "list", "PagedStrategy", "--limit", "2")));
    expect(first.items.map((v: { config_id: string }) => v.config_id)).toEqual([ids[2], ids[1]]);
    expect(first.next_offset).toBe(2);
    const human = ok(await cli("config", "list", "PagedStrategy", "--limit", "2"));
    expect(human.trim().split("\n").at(-1)).toBe("(more: --offset 2)");
    const rest = JSON.parse(
      ok(await cli("--json", "config", "list", "PagedStrategy", "--limit", "2", "--offset", "2")),
    );
    expect(rest.items.map((v: { config_id: string }) => v.config_id)).toEqual([ids[0]]);
    expect(rest.next_offset).toBeNull();
  });

  it("rolls back to the version the active one superseded", async () => {
    const v1 = await create("RollStrategy", { timeframe: "1h" });
    const v2 = await create("RollStrategy", { timeframe: "4h" });
    ok(await cli("config", "activate", "RollStrategy", v1));
    ok(await cli("config", "activate", "RollStrategy", v2));
    expect(ok(await cli("config", "rollback", "RollStrategy")).trim()).toBe(
      `Activated ${v1} of RollStrategy in dev (supersedes ${v2})`,
    );
    const nothing = await cli("config", "rollback", "RollStrategy", "--env", "staging");
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/HTTP 409.*no active version in staging/);
  });

  it("reports status per environment with --env", async () => {
    const configId = await create("EnvStrategy", { timeframe: "1d" });
    const activated = ok(await cli("config", "activate", "EnvStrategy", configId, "--env", "staging"));
    expect(activated.trim()).toBe(`Activated ${configId} of EnvStrategy in staging`);

    const inStaging = ok(await cli("config", "show", "EnvStrategy", configId, "--env", "staging"));
    expect([field(inStaging, "environment"), field(inStaging, "status")]).toEqual(["staging", "active"]);
    for (const env of [[], ["--env", "dev"], ["--env", "prod"]]) {
      const shown = JSON.parse(ok(await cli("--json", "config", "show", "EnvStrategy", configId, ...env)));
      expect(shown.status).toBe("draft");
      expect(shown.deployed_at).toBeNull();
    }
    const stagingList = ok(await cli("config", "list", "EnvStrategy", "--env", "staging", "--status", "active"));
    expect(stagingList.split("\n")[0]).toBe("EnvStrategy in staging: 1 version(s)");
    expect(row(stagingList, configId)?.[1]).toBe("ACTIVE");
    const devList = ok(await cli("config", "list", "EnvStrategy", "--status", "active"));
    expect(devList.trim()).toBe("EnvStrategy in dev: 0 version(s)");

    // Deprecating from dev must not take staging's active version away.
    const refused = await cli("config", "deprecate", "EnvStrategy", configId);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: Conflict \(HTTP 409\): .*is active in staging/);
    const stillActive = JSON.parse(
      ok(await cli("--json", "config", "show", "EnvStrategy", configId, "--env", "staging")),
    );
    expect(stillActive.status).toBe("active");
  });

  it("reads --file .json, .yaml and .yml as the same content as --data", async () => {
    const fromData = await create("FileStrategy", { timeframe: "1h", stoploss: -0.02, stake_amount: 150 });
    const json = join(t.files, "config.json");
    writeFileSync(json, '{\n  "stake_amount": 150,\n  "timeframe": "1h",\n  "stoploss": -0.02\n}\n');
    const yaml = join(t.files, "config.yaml");
    writeFileSync(yaml, "# the seed's example\ntimeframe: 1h\nstoploss: -0.02\nstake_amount: 150\n");
    const yml = join(t.files, "config.yml");
    writeFileSync(yml, "{ stoploss: -0.02, stake_amount: 150.0, timeframe: '1h' }\n");

    for (const file of [json, yaml, yml]) {
      const out = ok(await cli("config", "create", "FileStrategy", "--file", file));
      expect(out, file).toMatch(/^Identical content already exists as /);
      expect(idOf(out), file).toBe(fromData);
    }
    const list = ok(await cli("config", "list", "FileStrategy"));
    expect(list.split("\n")[0]).toBe("FileStrategy in dev: 1 version(s)");

    const nested = join(t.files, "nested.yaml");
    writeFileSync(
      nested,
      "protections:\n  - method: CooldownPeriod\n    stop_duration_candles: 2\nminimal_roi:\n  '0': 0.1\n",
    );
    const created = JSON.parse(ok(await cli("--json", "config", "create", "FileStrategy", "--file", nested)));
    expect(created).toMatchObject({
      version_number: 2,
      config_data: { protections: [{ method: "CooldownPeriod", stop_duration_candles: 2 }], minimal_roi: { "0": 0.1 } },
    });
  });

  it("refuses a YAML file with a duplicate key (exit 2) and stores nothing", async () => {
    const file = join(t.files, "duplicate.yaml");
    writeFileSync(file, "timeframe: 1h\nstoploss: -0.02\ntimeframe: 4h\n");
    const result = await cli("config", "create", "YamlDupStrategy", "--file", file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`Error: ${file} cannot be used:`);
    expect(result.stderr).toMatch(/unique/i);
    await expectNoStrategy("YamlDupStrategy");
  });

  it("refuses a missing file and both --data and --file (exit 2)", async () => {
    const missing = await cli("config", "create", "NoFileStrategy", "--file", join(t.files, "absent.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read --file");
    expect(missing.stderr).toContain("ENOENT");
    const both = await cli(
      "config",
      "create",
      "NoFileStrategy",
      "--data",
      "{}",
      "--file",
      join(t.files, "config.json"),
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give either --data or --file, not both");
    const neither = await cli("config", "create", "NoFileStrategy");
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("give the config data with --data");
    await expectNoStrategy("NoFileStrategy");
  });

  it("refuses invalid JSON in --data as a usage error (exit 2) and stores nothing", async () => {
    const result = await cli("config", "create", "BadJsonStrategy", "--data", '{"timeframe":"1h",');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Error: --data is not valid JSON: /);
    await expectNoStrategy("BadJsonStrategy");
  });

  it("passes a duplicate key in --data to the server, which refuses it naming the field (exit 1)", async () => {
    const result = await cli("config", "create", "DupKeyStrategy", "--data", '{"stoploss":-0.02,"stoploss":-0.5}');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Error: Invalid input \(HTTP 422\): /);
    // The field, after the option that gave it (issue 27).
    expect(result.stderr).toMatch(/^ {2}- --data: config_data\.stoploss \(body\): duplicate key "stoploss"$/m);
    await expectNoStrategy("DupKeyStrategy");
  });

  it("answers an unknown config id or strategy with 404 (exit 1)", async () => {
    await create("KnownStrategy", { a: 1 });
    const unknownId = await cli("config", "show", "KnownStrategy", "v99-00000000");
    expect(unknownId.code).toBe(1);
    expect(unknownId.stderr).toMatch(
      /^Error: Not found \(HTTP 404\): strategy "KnownStrategy" has no config version "v99-00000000"$/m,
    );
    const activate = await cli("config", "activate", "KnownStrategy", "v99-00000000");
    expect(activate.code).toBe(1);
    expect(activate.stderr).toContain("(HTTP 404)");
    const unknownStrategy = await cli("config", "show", "NoSuchStrategy", "v1-00000000");
    expect(unknownStrategy.code).toBe(1);
    expect(unknownStrategy.stderr).toContain('Error: Not found (HTTP 404): unknown strategy "NoSuchStrategy"');
  });

  it("refuses a malformed config id naming the path parameter (exit 1)", async () => {
    const result = await cli("config", "show", "KnownStrategy", "latest");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: Invalid input \(HTTP 422\): /);
    expect(result.stderr).toMatch(/^ {2}- config_id \(path\): must look like v\{N\}-\{8 hex digits\}/m);
  });

  it("refuses an unknown --env naming the environment (exit 1)", async () => {
    const result = await cli("config", "list", "StochRsiStrategy", "--env", "qa");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ {2}- --env: environment \(query\): unknown environment "qa"; known: dev, staging, prod$/m,
    );
    const create = await cli("config", "create", "EnvTypoStrategy", "--data", "{}", "--env", "qa");
    expect(create.code).toBe(1);
    expect(create.stderr).toContain('unknown environment "qa"');
    await expectNoStrategy("EnvTypoStrategy");
  });

  it("exits 2 on a missing argument or an unknown command, without calling the server", async () => {
    const offline = { url: "http://127.0.0.1:9" }; // nothing listens: a call would fail with exit 1
    const show = await runCli(["config", "show", "StochRsiStrategy"], offline);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain("missing required argument 'CONFIG_ID'");
    const create = await runCli(["config", "create"], offline);
    expect(create.code).toBe(2);
    expect(create.stderr).toContain("missing required argument 'STRATEGY'");
    const unknown = await runCli(["config", "publish", "StochRsiStrategy"], offline);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'publish'");
    const help = await runCli(["config", "--help"], offline);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("create [options] <STRATEGY>");
  });

  it("takes the server URL from TRADAI_URL", async () => {
    const env = { TRADAI_URL: t.server.url };
    const created = await runCli(["config", "create", "UrlStrategy", "--data", SEED_DATA], { env });
    expect(idOf(ok(created))).toBe(SEED_ID); // same content as the guide's, first version of its strategy
    const shown = await runCli(["config", "show", "UrlStrategy", SEED_ID], { env });
    expect(field(ok(shown), "strategy")).toBe("UrlStrategy");
  });

  it("exits 1 saying it cannot reach the server when none is running", async () => {
    const closedPort = await new Promise<number>((done) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => done(port));
      });
    });
    for (const url of ["http://127.0.0.1:1", `http://127.0.0.1:${closedPort}`]) {
      const result = await runCli(["config", "list", "StochRsiStrategy"], { url });
      expect(result.code, url).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(new RegExp(`^Error: cannot reach the TradAI server at ${url} \\(`));
    }
  });
});
