/**
 * `tradai catalog check` (drift between source and catalog, exit 1 on drift) and `tradai docs
 * render` (the Markdown reference of the catalog and the values in force) against a real
 * `tradai serve` process.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch, basicAuthorization } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { type CliResult, type CliTestServer, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;
const cli = (...args: string[]) => t.cli(...args);
const ok = (result: CliResult) => t.ok(result);

/** A fresh source directory holding the given files. */
function sourceDir(name: string, content: Record<string, string>): string {
  const dir = join(t.files, name);
  for (const [path, text] of Object.entries(content)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function api(method: string, path: string, body: unknown): Promise<void> {
  const res = await adminFetch(`${t.server.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The cells of the Markdown table row whose first cell is `first`. */
function row(markdown: string, first: string): string[] | undefined {
  return markdown
    .split("\n")
    .find((l) => l.startsWith(`| ${first} |`))
    ?.slice(2, -2)
    .split(" | ");
}

describe(`tradai catalog check and docs render (${backend})`, () => {
  beforeAll(async () => {
    t = await startCliTestServer();
    const set = async (name: string, ...flags: string[]) => ok(await cli("catalog", "set", name, ...flags));
    await set(
      "risk.stoploss",
      ...["--type", "number", "--group", "risk", "--unit", "fraction", "--min", "-0.5", "--max", "-0.01"],
      ...["--default", "-0.05", "--required", "--criticality", "critical", "--description", "Stop loss | from entry"],
    );
    await set(
      "risk.max_trades",
      ...["--type", "int", "--group", "risk", "--min", "1", "--max", "50", "--default", "8", "--reload", "hot"],
      ...["--description", "Open trades at most"],
    );
    await set(
      "execution.order_type",
      ...["--type", "enum", "--group", "execution", "--allowed", "market,limit", "--default", "limit"],
      ...["--immutable", "--description", "Order type"],
    );
    await set(
      "filters.min_volume",
      "--type",
      "number",
      "--group",
      "filters",
      "--strategies",
      "T",
      "--description",
      "Volume",
    );
    await set("risk.old_limit", "--type", "int", "--group", "risk", "--description", "Old trade limit");
    ok(await cli("catalog", "deprecate", "risk.old_limit", "--reason", "renamed", "--replacement", "risk.max_trades"));
    await api("POST", "/api/v1/catalog/rules", {
      name: "trades_or_tight_stop",
      expression: "risk.max_trades <= 20 || risk.stoploss > -0.1",
      message: "many trades need a tight stop",
    });
    await api("PUT", "/api/v1/environments/dev/base", { values: { execution: { order_type: "market" } } });
    const created = JSON.parse(
      ok(await cli("--json", "config", "create", "S", "--data", '{"risk":{"stoploss":-0.02}}')),
    );
    // risk.stoploss is critical: the activation is a change request, approved by someone else.
    const proposed = JSON.parse(t.proposed(await cli("--json", "config", "activate", "S", created.config_id)));
    await adminFetch(`${t.server.url}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "reviewer", role: "approver", password: "reviewer-password-0" }),
    });
    const approved = await fetch(`${t.server.url}/api/v1/change-requests/${proposed.change_request.id}/approve`, {
      method: "POST",
      headers: { authorization: basicAuthorization("reviewer", "reviewer-password-0") },
    });
    expect((await approved.json()).status).toBe("applied");
    ok(await cli("config", "create", "T", "--data", '{"risk":{"max_trades":3}}'));
  });

  afterAll(() => t?.close());

  describe("catalog check", () => {
    const drifting = () =>
      sourceDir("drifting", {
        "strategy/main.py": [
          "def entry(config, params):",
          '    stop = config["risk.stoploss"]',
          '    lev = config.get("risk.leverage", 1)',
          "    n = params.risk.max_trades",
          '    vol = cfg["filters"]["min_volume"]',
          "",
        ].join("\n"),
        "node_modules/x/index.js": 'config["vendored.thing"]\n',
      });

    it("exits 1 listing a missing parameter with file:line and an unreferenced one", async () => {
      const res = await cli("catalog", "check", "--source", drifting());
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toContain(
        "Referenced but missing from the catalog (1):\n  risk.leverage\n    strategy/main.py:3\n",
      );
      expect(res.stdout).toContain("Catalog parameters never referenced (1):\n  execution.order_type\n");
      expect(res.stdout).not.toContain("vendored.thing");
      expect(res.stdout).not.toContain("risk.old_limit");
      expect(res.stdout).toMatch(/1 file\(s\) scanned, 4 reference\(s\), catalog revision \d+: drift found/);
    });

    it("--json gives missing with locations and unreferenced names", async () => {
      const res = await cli("--json", "catalog", "check", "--source", drifting());
      expect(res.code).toBe(1);
      const json = JSON.parse(res.stdout);
      expect(json.missing).toEqual([{ name: "risk.leverage", locations: ["strategy/main.py:3"] }]);
      expect(json.unreferenced).toEqual(["execution.order_type"]);
    });

    it("--strategy compares with the parameters applying to that strategy only", async () => {
      const res = await cli("--json", "catalog", "check", "--source", drifting(), "--strategy", "S");
      expect(res.code).toBe(1);
      const json = JSON.parse(res.stdout);
      expect(json.missing.map((m: { name: string }) => m.name)).toEqual(["filters.min_volume", "risk.leverage"]);
      expect(json.unreferenced).toEqual(["execution.order_type"]);
    });

    it("exits 0 when the source matches the catalog, warning about a deprecated reference", async () => {
      const dir = sourceDir("clean", {
        "main.ts": [
          'const stop = config["risk.stoploss"];',
          "const n = params.risk.max_trades + params.risk.old_limit;",
          'const kind = settings.get("execution.order_type");',
          'const vol = cfg["filters"]["min_volume"];',
          "",
        ].join("\n"),
      });
      const res = await cli("catalog", "check", "--source", dir);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(res.stdout).toContain(
        "Warning: deprecated parameters still referenced (1):\n  risk.old_limit (use risk.max_trades)\n    main.ts:2",
      );
      expect(res.stdout).toMatch(/: no drift\n$/);
    });

    it("a user pattern finds its own references; one without a capture group is refused (exit 2)", async () => {
      const dir = sourceDir("custom", { "a.yaml": "stop: @P(risk.stoploss)\n" });
      const custom = await cli("--json", "catalog", "check", "--source", dir, "--pattern", "@P\\(([a-z._]+)\\)");
      expect(custom.code).toBe(1);
      expect(JSON.parse(custom.stdout).unreferenced).not.toContain("risk.stoploss");

      const refused = await cli("catalog", "check", "--source", dir, "--pattern", "config\\[[a-z]+\\]");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/exactly one capture group/);
      expect(refused.stdout).toBe("");
    });

    it("a source that is not a directory is a usage error", async () => {
      const res = await cli("catalog", "check", "--source", join(t.files, "nowhere"));
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/does not exist/);
    });
  });

  describe("docs render", () => {
    it("gives per-group tables with flags, the rules, and the resolved values with their origins", async () => {
      const md = ok(await cli("docs", "render", "--env", "dev"));
      expect(md.split("\n")[0]).toBe("# TradAI parameter reference — dev");
      expect(md).toMatch(/Generated — do not edit\. Catalog revision \d+, environment base revision 1/);
      const headings = md.split("\n").filter((l) => l.startsWith("#"));
      expect(headings).toEqual([
        "# TradAI parameter reference — dev",
        "## Parameters",
        "### execution",
        "### filters",
        "### risk",
        "## Coherence rules",
        "## Values in force in dev",
        "### S",
      ]);
      expect(row(md, "`risk.stoploss`")).toEqual([
        "`risk.stoploss`",
        "number",
        "-0.5 … -0.01",
        "`-0.05`",
        "fraction",
        "required, critical",
        "all",
        "Stop loss \\| from entry",
      ]);
      expect(row(md, "`risk.max_trades`")?.slice(2, 6)).toEqual(["1 … 50", "`8`", "—", "hot"]);
      expect(row(md, "`execution.order_type`")?.slice(2, 6)).toEqual([
        '`"market"`, `"limit"`',
        '`"limit"`',
        "—",
        "immutable",
      ]);
      expect(row(md, "`risk.old_limit`")?.[5]).toBe("deprecated → `risk.max_trades`");
      expect(row(md, "`filters.min_volume`")?.[6]).toBe("T");
      expect(row(md, "`trades_or_tight_stop`")).toEqual([
        "`trades_or_tight_stop`",
        "`risk.max_trades <= 20 \\|\\| risk.stoploss > -0.1`",
        "many trades need a tight stop",
        "all",
      ]);
      const values = md.slice(md.indexOf("### S"));
      expect(values).toMatch(/Active version `v1-[0-9a-f]{8}`, resolved hash `[0-9a-f]{64}`/);
      expect(row(values, "`risk.stoploss`")).toEqual([
        "`risk.stoploss`",
        "`-0.02`",
        "config version",
        expect.stringMatching(/^v1-[0-9a-f]{8}$/),
      ]);
      expect(row(values, "`risk.max_trades`")?.slice(1, 3)).toEqual(["`8`", "catalog default"]);
      expect(row(values, "`execution.order_type`")).toEqual([
        "`execution.order_type`",
        '`"market"`',
        "environment base",
        "dev base revision 1",
      ]);
      expect(md).toContain("Without an active version in dev: `T`.");
    });

    it("is identical across runs, equals the default environment's, and --out writes the file", async () => {
      const first = ok(await cli("docs", "render", "--env", "dev"));
      expect(ok(await cli("docs", "render", "--env", "dev"))).toBe(first);
      expect(ok(await cli("docs", "render"))).toBe(first);
      const out = join(t.files, "reference.md");
      const res = ok(await cli("docs", "render", "--env", "dev", "--out", out));
      expect(res).toMatch(/^Wrote the reference of 5 parameter\(s\) and 1 active strategy\(ies\) in dev to /);
      expect(readFileSync(out, "utf8")).toBe(first);
    });

    it("an environment with no active version lists none; an unknown environment is refused", async () => {
      const prod = ok(await cli("docs", "render", "--env", "prod"));
      expect(prod).toContain("No strategy has an active version in prod.");
      expect(prod).toContain("Without an active version in prod: `S`, `T`.");
      const res = await cli("docs", "render", "--env", "nowhere");
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/unknown environment/);
    });
  });
});
