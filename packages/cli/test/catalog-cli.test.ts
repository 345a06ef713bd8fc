/**
 * The `tradai catalog` commands against a real `tradai serve` process: set (create, update,
 * unchanged), list filters and flags, show, deprecate (then a config using the parameter is
 * refused naming its replacement), export -> import round trip into a second fresh server,
 * idempotent import, --dry-run, a bad file refused locally (exit 2, nothing sent), and server
 * refusals (exit 1) that --force-reason overrides.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import {
  type CliResult,
  expectSuccess,
  removeDataDir,
  runCli,
  type ServerProcess,
  startServerProcess,
} from "../../../test-support/server-process.js";

let server: ServerProcess;
let databaseEnv: Record<string, string>;
let files: string;

const cli = (...args: string[]) => runCli(args, { url: server.url });
const ok = (result: CliResult) => expectSuccess(result, server);

/** Server settings for a fresh database: no launcher, work and artifact directories under `files`. */
const serverEnv = (db: Record<string, string>, name: string) => ({
  ...db,
  TRADAI_LAUNCHER: "none",
  TRADAI_WORK_DIR: join(files, `${name}-work`),
  TRADAI_ARTIFACTS_DIR: join(files, `${name}-artifacts`),
});

/** The catalog's current revision. */
async function revision(): Promise<number> {
  return (JSON.parse(ok(await cli("--json", "catalog", "list"))) as { revision: number }).revision;
}

/** The cells of the `catalog list` row of one parameter. */
function row(stdout: string, name: string): string[] | undefined {
  return stdout
    .split("\n")
    .find((l) => l.startsWith(`${name} `))
    ?.split(/\s{2,}/);
}

const names = (stdout: string) =>
  stdout
    .split("\n")
    .slice(2)
    .filter((l) => l !== "")
    .map((l) => l.split(" ")[0]);

/** A `key: value` line of `catalog show` output. */
const field = (stdout: string, key: string) => new RegExp(`^${key}:\\s+(.*)$`, "m").exec(stdout)?.[1];

function file(name: string, content: string): string {
  const path = join(files, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), "tradai-catalog-cli-"));
  databaseEnv = await freshDatabaseEnv();
  server = await startServerProcess(serverEnv(databaseEnv, "a"));
});

afterAll(async () => {
  const status = await server?.stop();
  expect(status?.code, server?.output()).toBe(0);
  removeDataDir(databaseEnv);
  rmSync(files, { recursive: true, force: true });
});

describe(`tradai catalog against a server process (${backend})`, () => {
  it("set creates a parameter, then updates only the given flags, and says when nothing changed", async () => {
    expect(await revision()).toBe(0);
    const created = ok(
      await cli(
        "catalog",
        "set",
        "risk.stoploss",
        "--type",
        "number",
        "--description",
        "Stop loss as a negative fraction of the stake",
        "--group",
        "risk",
        "--unit",
        "fraction",
        "--min",
        "-0.5",
        "--max",
        "-0.01",
        "--step",
        "0.01",
        "--default",
        "-0.1",
        "--criticality",
        "critical",
        "--required",
      ),
    );
    expect(created.trim()).toBe("Created risk.stoploss: catalog revision 1");

    const updated = ok(await cli("catalog", "set", "risk.stoploss", "--min", "-0.4", "--variants", "[-0.1,-0.2]"));
    expect(updated.trim()).toBe("Updated risk.stoploss: catalog revision 2");
    const again = ok(await cli("catalog", "set", "risk.stoploss", "--min", "-0.4"));
    expect(again.trim()).toBe("risk.stoploss unchanged (catalog revision 2)");

    const shown = ok(await cli("catalog", "show", "risk.stoploss"));
    expect(field(shown, "min")).toBe("-0.4"); // changed
    expect(field(shown, "max")).toBe("-0.01"); // kept
    expect(field(shown, "description")).toBe("Stop loss as a negative fraction of the stake");
    expect(field(shown, "variants")).toBe("[-0.1,-0.2]");
    expect(field(shown, "created_revision")).toBe("1");
    expect(field(shown, "updated_revision")).toBe("2");

    // A new parameter needs --type and --description: a usage error, nothing sent.
    const incomplete = await cli("catalog", "set", "risk.take_profit", "--min", "0");
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain("give at least --type and --description");
    expect(await revision()).toBe(2);
  });

  it("lists parameters with bounds, defaults and flags, filtered by group, type, strategy, text and deprecation", async () => {
    ok(
      await cli(
        "catalog",
        "set",
        "execution.order_type",
        "--type",
        "enum",
        "--description",
        "How orders are placed",
        "--group",
        "execution",
        "--allowed",
        "market,limit",
        "--default",
        "market",
        "--reload",
        "hot",
      ),
    );
    ok(
      await cli(
        "catalog",
        "set",
        "risk.max_positions",
        "--type",
        "int",
        "--description",
        "Open positions at most",
        "--group",
        "risk",
        "--min",
        "1",
        "--max",
        "20",
        "--default",
        "5",
        "--immutable",
        "--strategies",
        "StochRsiStrategy",
      ),
    );
    const all = ok(await cli("catalog", "list"));
    expect(all.split("\n")[0]).toBe("catalog revision 4: 3 parameter(s)");
    expect(all.split("\n")[1]?.split(/\s{2,}/)).toEqual([
      "NAME",
      "TYPE",
      "GROUP",
      "BOUNDS/ALLOWED",
      "DEFAULT",
      "FLAGS",
    ]);
    expect(row(all, "risk.stoploss")).toEqual([
      "risk.stoploss",
      "number",
      "risk",
      "-0.4..-0.01 step 0.01",
      "-0.1",
      "critical,required",
    ]);
    expect(row(all, "execution.order_type")).toEqual([
      "execution.order_type",
      "enum",
      "execution",
      "market|limit",
      '"market"',
      "hot",
    ]);
    expect(row(all, "risk.max_positions")).toEqual(["risk.max_positions", "int", "risk", "1..20", "5", "immutable"]);

    expect(names(ok(await cli("catalog", "list", "--group", "risk")))).toEqual(["risk.max_positions", "risk.stoploss"]);
    expect(names(ok(await cli("catalog", "list", "--type", "enum")))).toEqual(["execution.order_type"]);
    expect(names(ok(await cli("catalog", "list", "--strategy", "OtherStrategy")))).toEqual([
      "execution.order_type",
      "risk.stoploss",
    ]);
    expect(names(ok(await cli("catalog", "list", "--search", "POSITIONS")))).toEqual(["risk.max_positions"]);
    expect(ok(await cli("catalog", "list", "--deprecated")).trim()).toBe("catalog revision 4: 0 parameter(s)");

    const json = JSON.parse(ok(await cli("--json", "catalog", "list", "--group", "execution"))) as {
      revision: number;
      items: { parameter: { name: string; reload: string } }[];
    };
    expect(json.revision).toBe(4);
    expect(json.items.map((i) => [i.parameter.name, i.parameter.reload])).toEqual([["execution.order_type", "hot"]]);

    const badType = await cli("catalog", "list", "--type", "float");
    expect(badType.code).toBe(2);
  });

  it("deprecates a parameter: list flags it, and a config using it is refused naming the replacement", async () => {
    ok(
      await cli("catalog", "set", "risk.stop", "--type", "number", "--description", "Old stop loss", "--group", "risk"),
    );
    const deprecated = ok(
      await cli("catalog", "deprecate", "risk.stop", "--reason", "renamed", "--replacement", "risk.stoploss"),
    );
    expect(deprecated.trim()).toBe("Deprecated risk.stop (use risk.stoploss): catalog revision 6");
    const list = ok(await cli("catalog", "list", "--deprecated"));
    expect(row(list, "risk.stop")?.[5]).toBe("deprecated->risk.stoploss");
    expect(names(ok(await cli("catalog", "list", "--no-deprecated", "--group", "risk")))).not.toContain("risk.stop");
    const shown = ok(await cli("catalog", "show", "risk.stop"));
    expect(field(shown, "reason")).toBe("renamed");

    const refused = await cli("config", "create", "DeprecatedStrategy", "--data", '{"risk":{"stop":-0.1}}');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("HTTP 422");
    expect(refused.stderr).toContain("risk.stoploss");

    const missingReason = await cli("catalog", "deprecate", "risk.max_positions");
    expect(missingReason.code).toBe(2);
    const unknown = await cli("catalog", "deprecate", "risk.nothing", "--reason", "x");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("HTTP 404");
  });

  it("imports rules and policies, and import of the same file again changes nothing", async () => {
    const path = file(
      "rules.yaml",
      [
        "rules:",
        "  - name: stop_not_too_wide",
        "    expression: risk.stoploss > -0.45",
        "    message: the stop loss must stay within 45%",
        "policies:",
        "  StrictStrategy: strict",
      ].join("\n"),
    );
    const before = await revision();
    const first = ok(await cli("catalog", "import", path));
    expect(first).toContain("+ create rule stop_not_too_wide\n");
    expect(first).toContain("~ set policy StrictStrategy: open -> strict\n");
    expect(first).toContain("= unchanged: 0 parameter(s), 0 rule(s), 0 policy(ies)\n");
    expect(first).toContain(". parameter risk.stoploss: not in file, left alone\n");
    expect(first).toContain(`2 change(s) applied: catalog revision ${before + 2}`);

    const second = ok(await cli("catalog", "import", path));
    expect(second).not.toMatch(/^[+~] /m);
    expect(second).toContain("= unchanged: 0 parameter(s), 1 rule(s), 1 policy(ies)\n");
    expect(second).toContain(`nothing to change (catalog revision ${before + 2})`);
    expect(await revision()).toBe(before + 2);
  });

  it("exports a document that imports into a second fresh server as the same catalog (round trip)", async () => {
    const exported = ok(await cli("catalog", "export"));
    expect(exported).toMatch(/^parameters:\n {2}- name: execution\.order_type\n/);
    expect(exported).toContain("rules:\n  - name: stop_not_too_wide\n");
    expect(exported).toContain("policies:\n  StrictStrategy: strict\n");
    const yamlPath = join(files, "catalog.yaml");
    expect(ok(await cli("catalog", "export", "--file", yamlPath))).toContain(`to ${yamlPath}`);
    expect(readFileSync(yamlPath, "utf8")).toBe(exported);
    const jsonPath = join(files, "catalog.json");
    ok(await cli("catalog", "export", "--file", jsonPath));
    const asJson = JSON.parse(readFileSync(jsonPath, "utf8")) as { parameters: { name: string }[] };
    expect(asJson.parameters.map((p) => p.name)).toEqual([
      "execution.order_type",
      "risk.max_positions",
      "risk.stop",
      "risk.stoploss",
    ]);

    const otherDb = await freshDatabaseEnv();
    const other = await startServerProcess(serverEnv(otherDb, "b"));
    try {
      const onOther = (...args: string[]) => runCli(args, { url: other.url });
      const imported = expectSuccess(await onOther("catalog", "import", yamlPath), other);
      // risk.stop is created after its replacement, the rule after the parameter it names.
      const lines = imported.split("\n");
      expect(lines.indexOf("+ create parameter risk.stop")).toBeGreaterThan(
        lines.indexOf("+ create parameter risk.stoploss"),
      );
      expect(imported).toContain("6 change(s) applied: catalog revision 6");
      expect(expectSuccess(await onOther("catalog", "export"), other)).toBe(exported);
      const fromJson = expectSuccess(await onOther("catalog", "import", jsonPath), other);
      expect(fromJson).toContain("nothing to change (catalog revision 6)");
    } finally {
      const status = await other.stop();
      removeDataDir(otherDb);
      expect(status.code, other.output()).toBe(0);
    }
  });

  it("import --preset freqtrade adds Freqtrade's standard keys to a server started without them; a string stoploss is then refused naming the key", async () => {
    const otherDb = await freshDatabaseEnv();
    // The harness starts servers with TRADAI_CATALOG_PRESET=none: an empty catalog, as after turning it off.
    const other = await startServerProcess(serverEnv(otherDb, "preset"));
    try {
      const onOther = (...args: string[]) => runCli(args, { url: other.url });
      const neither = await onOther("catalog", "import");
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain("give a catalog FILE or --preset NAME (one of them)");
      const unknown = await onOther("catalog", "import", "--preset", "zipline");
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("Allowed choices are freqtrade");

      const dry = expectSuccess(await onOther("catalog", "import", "--preset", "freqtrade", "--dry-run"), other);
      expect(dry).toContain("+ create parameter stoploss\n");
      expect(dry).toContain("+ create parameter minimal_roi\n");
      expect(dry).toContain("dry run: nothing was changed (catalog revision 0)");
      const applied = expectSuccess(await onOther("catalog", "import", "--preset", "freqtrade"), other);
      expect(applied).toMatch(/\d+ change\(s\) applied: catalog revision \d+/);
      expect(field(expectSuccess(await onOther("catalog", "show", "stoploss"), other), "criticality")).toBe("critical");

      const refused = await onOther("config", "create", "MeanReversionDemo", "--data", '{"stoploss":"x"}');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("--data: config_data.stoploss (body): must be a number");
      const again = expectSuccess(await onOther("catalog", "import", "--preset", "freqtrade"), other);
      expect(again).toMatch(/nothing to change \(catalog revision \d+\)/);
    } finally {
      const status = await other.stop();
      removeDataDir(otherDb);
      expect(status.code, other.output()).toBe(0);
    }
  });

  it("--dry-run prints the plan and changes nothing", async () => {
    const exported = ok(await cli("catalog", "export"));
    const path = file("tighter.yaml", exported.replace("max: 20", "max: 10"));
    const before = await revision();
    const dry = ok(await cli("catalog", "import", path, "--dry-run"));
    expect(dry).toContain("~ update parameter risk.max_positions: max 20 -> 10\n");
    expect(dry).toContain("= unchanged: 3 parameter(s), 1 rule(s), 1 policy(ies)\n");
    expect(dry).toContain(`dry run: nothing was changed (catalog revision ${before})`);
    expect(await revision()).toBe(before);
    expect(field(ok(await cli("catalog", "show", "risk.max_positions")), "max")).toBe("20");
  });

  it("refuses a file that fails validation before sending anything (exit 2, naming the entry and field)", async () => {
    const before = await revision();
    const path = file(
      "bad.yaml",
      [
        "parameters:",
        "  - name: risk.new_param",
        "    type: number",
        "    description: would be fine",
        "  - name: risk.bad_bounds",
        "    type: number",
        "    description: min above max",
        "    min: 1",
        "    max: 0",
        "rules:",
        "  - name: Bad-Name",
        "    expression: risk.stoploss < 0",
        "    message: x",
      ].join("\n"),
    );
    const result = await cli("catalog", "import", path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("parameters[1] (risk.bad_bounds): min: min (1) is greater than max (0)");
    expect(result.stderr).toContain("rules[0] (Bad-Name): name:");
    expect(result.stdout).toBe("");
    expect(await revision()).toBe(before);
    expect((await cli("catalog", "show", "risk.new_param")).code).toBe(1);

    const notCatalog = await cli("catalog", "import", file("list.json", "[1, 2]"));
    expect(notCatalog.code).toBe(2);
    const missing = await cli("catalog", "import", join(files, "nope.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
  });

  it("reports server refusals with exit 1; --force-reason applies a change that invalidates an active version", async () => {
    const unknownRule = file(
      "unknown-rule.yaml",
      "rules:\n  - name: take_profit_beyond_stop\n    expression: risk.take_profit > -risk.stoploss\n    message: x\n",
    );
    const before = await revision();
    const refusedRule = await cli("catalog", "import", unknownRule);
    expect(refusedRule.code).toBe(1);
    expect(refusedRule.stderr).toContain("HTTP 422");
    expect(refusedRule.stderr).toContain("risk.take_profit");
    expect(await revision()).toBe(before);

    // An active version with risk.max_positions = 15; tightening max to 10 would make it invalid.
    const created = ok(await cli("config", "create", "StochRsiStrategy", "--data", '{"risk":{"max_positions":15}}'));
    const configId = /^Created (v\d+-[0-9a-f]{8})/.exec(created)?.[1] ?? "";
    ok(await cli("config", "activate", "StochRsiStrategy", configId));
    const tighter = join(files, "tighter.yaml");
    const refused = await cli("catalog", "import", tighter);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("HTTP 409");
    expect(refused.stderr).toContain(`StochRsiStrategy/dev/${configId}`);
    expect(await revision()).toBe(before);
    const refusedSet = await cli("catalog", "set", "risk.max_positions", "--max", "10");
    expect(refusedSet.code).toBe(1);
    expect(refusedSet.stderr).toContain("HTTP 409");

    const forced = ok(await cli("catalog", "import", tighter, "--force-reason", "position limit lowered by risk"));
    expect(forced).toContain("~ update parameter risk.max_positions: max 20 -> 10\n");
    expect(forced).toContain(`1 change(s) applied: catalog revision ${before + 1}`);
    expect(field(ok(await cli("catalog", "show", "risk.max_positions")), "max")).toBe("10");
  });

  it("--reload between_trades: a value workers take only when they hold no open trade; shadow: never, with `catalog shadow` for the evidence; other classes are usage errors", async () => {
    const before = await revision();
    const updated = ok(await cli("catalog", "set", "execution.order_type", "--reload", "between_trades"));
    expect(updated.trim()).toBe(`Updated execution.order_type: catalog revision ${before + 1}`);
    expect(field(ok(await cli("catalog", "show", "execution.order_type")), "reload")).toBe("between_trades");
    expect(row(ok(await cli("catalog", "list", "--group", "execution")), "execution.order_type")?.at(-1)).toBe(
      "between_trades",
    );
    const json = JSON.parse(ok(await cli("--json", "catalog", "show", "execution.order_type"))) as {
      parameter: { reload: string };
    };
    expect(json.parameter.reload).toBe("between_trades");

    const unknown = await cli("catalog", "set", "execution.order_type", "--reload", "warm");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Allowed choices are hot, between_trades, restart, shadow");
    expect(await revision()).toBe(before + 1);

    // Shadow: set like any class; `catalog shadow` shows the evidence workers reported (none yet).
    ok(await cli("catalog", "set", "execution.order_type", "--reload", "shadow"));
    expect(row(ok(await cli("catalog", "list", "--group", "execution")), "execution.order_type")?.at(-1)).toBe(
      "shadow",
    );
    expect(ok(await cli("catalog", "shadow", "--environment", "dev"))).toContain("no worker has reported");
    expect(JSON.parse(ok(await cli("--json", "catalog", "shadow")))).toEqual({ items: [] });
  });
});
