/**
 * `tradai import legacy-db` against a real `tradai serve` process. The legacy tables are made by the
 * test: in the postgres project in a real PostgreSQL database (read with --legacy-url), in the pglite
 * one as a JSON export of the two tables (read with --file). The dry run writes nothing; --apply
 * imports; a second --apply changes nothing; a missing column is a usage error naming it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson, type JsonValue } from "@tradai/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend, freshDatabaseEnv, freshPostgresUrl } from "../../../test-support/backend.js";
import {
  expectSuccess,
  removeDataDir,
  runCli,
  type ServerProcess,
  startServerProcess,
} from "../../../test-support/server-process.js";

let server: ServerProcess;
let databaseEnv: Record<string, string>;
let files: string;
/** How the CLI reads the legacy tables here: --legacy-url URL or --file FILE. */
let source: string[];

const cli = (...args: string[]) => runCli(args, { url: server.url });

/**
 * A legacy history like a real one: 60 parameters, 300 rows by 4 authors, each changing a parameter
 * and the stoploss; every 25th row reverts to the row 3 before it; at row 151 `rsi_len` is renamed
 * `rsi_period`. The live row holds what the last row does (itself a revert).
 */
function legacyTables() {
  const authors = ["alice", "bob", "carol", "dmitri"];
  const pad = (k: number) => String(k).padStart(2, "0");
  let values: Record<string, unknown> = { stoploss: -0.05, rsi_len: 14, mode: "swing" };
  for (let k = 0; k < 57; k++) values[`p_${pad(k)}`] = k % 3 === 0 ? `m${k}` : k / 10;
  const history: {
    id: number;
    base_env: Record<string, unknown>;
    changed_by: string;
    changed_at: string;
    comment: string;
  }[] = [];
  for (let i = 1; i <= HISTORY_ROWS; i++) {
    if (i % 25 === 0) values = { ...(history[i - 4]?.base_env as Record<string, unknown>) };
    else if (i === 151) {
      const { rsi_len, ...rest } = values;
      values = { ...rest, rsi_period: rsi_len };
    } else values = { ...values, [`p_${pad(i % 57)}`]: i / 7, stoploss: -0.05 - (i % 41) / 1000 };
    history.push({
      id: i,
      base_env: values,
      changed_by: authors[i % 4] as string,
      changed_at: new Date(Date.UTC(2025, 5, 1, i)).toISOString(),
      comment: i % 25 === 0 ? "revert" : `tune ${i}`,
    });
  }
  return { ftf_config: [{ id: 1, base_env: values }], ftf_config_history: history };
}
const HISTORY_ROWS = 300;
/** Identical rows share a version: as many versions as distinct contents. */
const DISTINCT = new Set(legacyTables().ftf_config_history.map((h) => canonicalJson(h.base_env as JsonValue))).size;

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), "tradai-import-cli-"));
  databaseEnv = await freshDatabaseEnv();
  server = await startServerProcess({ ...databaseEnv, TRADAI_LAUNCHER: "none" });
  const tables = legacyTables();
  if (backend === "postgres") {
    const url = await freshPostgresUrl();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("CREATE TABLE ftf_config (id int PRIMARY KEY, base_env jsonb NOT NULL)");
    await client.query(
      "CREATE TABLE ftf_config_history (id bigint PRIMARY KEY, base_env jsonb NOT NULL, changed_by text, changed_at timestamptz, comment text)",
    );
    await client.query("INSERT INTO ftf_config VALUES (1, $1)", [JSON.stringify(tables.ftf_config[0]?.base_env)]);
    for (const h of tables.ftf_config_history) {
      await client.query("INSERT INTO ftf_config_history VALUES ($1, $2, $3, $4, $5)", [
        h.id,
        JSON.stringify(h.base_env),
        h.changed_by,
        h.changed_at,
        h.comment,
      ]);
    }
    await client.end();
    source = ["--legacy-url", url];
  } else {
    const file = join(files, "legacy.json");
    writeFileSync(file, JSON.stringify(tables));
    source = ["--file", file];
  }
});

afterAll(async () => {
  const status = await server?.stop();
  expect(status?.code, server?.output()).toBe(0);
  removeDataDir(databaseEnv);
  rmSync(files, { recursive: true, force: true });
});

describe(`tradai import legacy-db (${backend})`, () => {
  const versions = async () =>
    JSON.parse(expectSuccess(await cli("--json", "config", "list", "FTF", "--limit", "500"), server)).items as {
      config_id: string;
      imported: { legacy_author: string } | null;
    }[];

  it("plans by default and writes nothing; --apply imports; a second --apply changes nothing", async () => {
    const dry = await cli("import", "legacy-db", "--strategy", "FTF", "--env", "dev", ...source);
    expect(dry.stdout).toMatch(/^DRY RUN: nothing was written/);
    expect(DISTINCT).toBe(HISTORY_ROWS - HISTORY_ROWS / 25); // each revert equals an earlier row
    expect(dry.stdout).toContain(`${DISTINCT} new version(s)`);
    expect(dry.stdout).toMatch(/^1\s+v1-\S+\s+create\s+bob\s+2025-06-01T01:00:00.000Z\s+tune 1$/m);
    expect(dry.stdout).toMatch(/^current\s+v\d+-\S+\s+same as row 297\s/m);
    const steps = JSON.parse(
      (await cli("--json", "import", "legacy-db", "--strategy", "FTF", "--env", "dev", ...source)).stdout,
    ).steps;
    expect(steps[24]).toMatchObject({ row: 25, action: "same_as_row", of_row: 22, author: "bob", comment: "revert" });
    expect(steps[150]).toMatchObject({ row: 151, action: "create" }); // the rename
    expect(dry.stderr).toContain(`read ${HISTORY_ROWS} history row(s) and the live row`);
    expect(dry.code).toBe(0);
    expect((await cli("config", "list", "FTF")).code).toBe(1); // no such strategy yet

    const applied = await cli(
      "--json",
      "import",
      "legacy-db",
      "--strategy",
      "FTF",
      "--env",
      "dev",
      ...source,
      "--apply",
    );
    const plan = JSON.parse(expectSuccess(applied, server));
    expect(plan).toMatchObject({ outcome: "applied", versions_created: DISTINCT, activation: { action: "activate" } });
    const listed = await versions();
    expect(listed).toHaveLength(DISTINCT);
    expect(listed.every((v) => v.imported !== null)).toBe(true);
    const again = await cli("import", "legacy-db", "--strategy", "FTF", "--env", "dev", ...source, "--apply");
    expect(again.stdout).toMatch(/^UNCHANGED/);
    expect(await versions()).toHaveLength(DISTINCT);
  });

  it("the baseline file and a pod's environment are compared with the live row, and the chosen values are imported and recorded", async () => {
    const live = legacyTables().ftf_config[0]?.base_env as Record<string, unknown>;
    const baseline = join(files, "ftf_baseline.json");
    writeFileSync(baseline, JSON.stringify({ ...live, stoploss: -0.2, mode: "swing" }));
    const podEnv = join(files, "pod.env");
    writeFileSync(podEnv, '# pod ftf-live-0\nexport FTF_MODE="scalp"\nFTF_RSI_PERIOD=21\nHOME=/root\n');
    const report = await cli("import", "baseline", baseline, ...source, "--pod-env", podEnv);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("3 key(s) disagree");
    expect(report.stdout).toMatch(/^mode\s+"swing"\s+"swing"\s+"scalp"\s+env\s+env \("scalp"\)$/m);
    expect(report.stdout).toMatch(/^stoploss\s+\S+\s+-0\.2\s+-\s+db\s+db /m);
    const envOnly = await cli("--json", "import", "env", podEnv, ...source);
    expect(JSON.parse(envOnly.stdout).disagreements.map((d: { key: string }) => d.key)).toEqual(["mode", "rsi_period"]);

    const args = ["import", "legacy-db", "--strategy", "FTF5", "--env", "dev", ...source, "--baseline", baseline];
    const applied = JSON.parse(
      expectSuccess(
        await cli("--json", ...args, "--pod-env", podEnv, "--prefer", "db", "--choose", "stoploss=file", "--apply"),
        server,
      ),
    );
    expect(applied.disagreements.map((d: { key: string; chosen: string }) => [d.key, d.chosen])).toEqual([
      ["mode", "db"],
      ["rsi_period", "db"],
      ["stoploss", "file"],
    ]);
    const resolved = JSON.parse(
      expectSuccess(await cli("--json", "config", "explain", "FTF5", "--env", "dev"), server),
    );
    expect(resolved.values).toMatchObject({ stoploss: -0.2, mode: "swing", rsi_period: 14 });
    // The choice is kept with the import.
    const kept = JSON.parse(expectSuccess(await cli("--json", "import", "show", applied.import_id), server));
    expect(kept.disagreements).toEqual(applied.disagreements);
  });

  it("the Streamlit catalog becomes a catalog file to review, which tradai catalog import then writes", async () => {
    const app = join(files, "admin_app.py");
    writeFileSync(
      app,
      [
        "import streamlit as st",
        "PARAM_OPTIONS = {",
        '    "stoploss": [-0.05, -0.07, -0.1],  # the live row holds one of these',
        '    "mode": ["swing", "scalp"],',
        '    "rsi_period": (14, 21),',
        "}",
        'PARAM_DESCRIPTIONS = {"stoploss": "Stop loss", "mode": "Trading mode"}',
      ].join("\n"),
    );
    const out = join(files, "legacy-catalog.yaml");
    const inferred = await cli("import", "catalog", app, "--strategy", "FTF7", "--out", out, ...source);
    expect(inferred.code, inferred.stderr).toBe(0);
    expect(inferred.stderr).toContain("3 parameter(s) inferred");
    expect(inferred.stderr).toContain("rsi_period: no description in PARAM_DESCRIPTIONS");
    const dry = await cli("catalog", "import", out, "--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expectSuccess(await cli("catalog", "import", out), server);
    const shown = JSON.parse(expectSuccess(await cli("--json", "catalog", "show", "mode"), server));
    expect(shown.parameter).toMatchObject({
      type: "enum",
      allowed: ["swing", "scalp"],
      default: "swing",
      strategies: ["FTF7"],
    });
    // The live row's value is the default where it is among the options; where it is not, it is said.
    const stoploss = JSON.parse(expectSuccess(await cli("--json", "catalog", "show", "stoploss"), server));
    expect(stoploss.parameter.default).toBeUndefined();
    expect(inferred.stderr).toMatch(/stoploss: the live row's -0\.0\d+ is not among its options: no default/);
    // Code in the source is refused, never run.
    writeFileSync(app, 'PARAM_OPTIONS = {"a": open("/etc/passwd").read()}');
    const refused = await cli("import", "catalog", app);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 1: not a literal/);
  });

  it("the ablation factors' variants go onto the catalog's parameters, checked, through a file catalog import writes", async () => {
    // rsi_period and mode exist (the catalog test above); a factor the catalog lacks, and a variant it refuses, are left out.
    const factors = join(files, "ablation.yaml");
    writeFileSync(factors, "rsi_period: [14, 21]\nmode: [swing, breakout]\nunknown_factor: [1, 2]\n");
    const out = join(files, "variants.yaml");
    const made = await cli("import", "variants", factors, "--out", out);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain("1 parameter(s) with variants");
    expect(made.stderr).toContain("unknown_factor: no catalog parameter of that name: left out");
    expect(made.stderr).toMatch(/mode: left out, the catalog refuses its variants \(variants\.1/);
    expectSuccess(await cli("catalog", "import", out), server);
    const grid = JSON.parse(expectSuccess(await cli("--json", "catalog", "grid", "rsi_period"), server));
    expect(grid).toMatchObject({ size: 2 });
    const bad = await cli("import", "variants", factors.replace("ablation", "missing"));
    expect(bad.code).toBe(2);
  });

  it("a column that is not there is named (exit 2), and nothing is sent", async () => {
    const bad = await cli(
      "import",
      "legacy-db",
      "--strategy",
      "FTF3",
      ...source,
      "--author-column",
      "author",
      "--apply",
    );
    expect(bad.code).toBe(0); // an optional column may be absent: no author
    const missing = await cli("import", "legacy-db", "--strategy", "FTF4", ...source, "--history-column", "config");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ftf_config_history.* "config"/);
    const neither = await cli("import", "legacy-db", "--strategy", "FTF4");
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("give exactly one source");
  });
});
