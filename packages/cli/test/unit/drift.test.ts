/** Drift between source and catalog: the walk, the default and user patterns, the comparison. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CatalogName,
  checkSource,
  compareWithCatalog,
  DEFAULT_PATTERNS,
  findReferences,
  hasDrift,
  userPattern,
} from "../../src/catalog/drift.js";
import { sourceFiles } from "../../src/catalog/source-files.js";
import { UsageError } from "../../src/usage-error.js";

let root: string;

function write(path: string, content: string | Buffer): void {
  const absolute = join(root, path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
}

const param = (name: string, extra: Partial<CatalogName> = {}): CatalogName => ({ name, deprecated: false, ...extra });
const names = (text: string) => findReferences([{ path: "f.py", text }], DEFAULT_PATTERNS).map((r) => r.name);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "tradai-drift-"));
  write("strategy/entry.py", 'stop = config["risk.stoploss"]\nn = self.config.get("risk.max_trades", 3)\n');
  write("strategy/features.ts", "const p = params.features.rsi_period;\nconst q = cfg['filters']['min_volume'];\n");
  write("strategy/unknown.go", 'x := settings.get("risk.leverage")\n');
  write("README.md", 'config["docs.only"]\n');
  write("node_modules/lib/index.js", 'config["vendored.param"]\n');
  write("dist/out.js", 'config["built.param"]\n');
  write(".git/hooks/x.py", 'config["git.param"]\n');
  write("data/blob.json", Buffer.concat([Buffer.from('config["binary.param"]'), Buffer.from([0, 1, 2])]));
  write("data/huge.yaml", `config["huge.param"]\n${"#".repeat(1024 * 1024)}\n`);
  write("notes.txt", 'config["text.param"]\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("sourceFiles", () => {
  it("keeps source files in sorted order and skips vendored, built, VCS, binary, huge and other files", () => {
    expect(sourceFiles(root).map((f) => f.path)).toEqual([
      "strategy/entry.py",
      "strategy/features.ts",
      "strategy/unknown.go",
    ]);
  });
});

describe("default patterns", () => {
  it("find subscripts, chained subscripts, .get calls and params attributes", () => {
    expect(names('a = config["risk.stoploss"]')).toEqual(["risk.stoploss"]);
    expect(names("a = cfg['risk']['stoploss']")).toEqual(["risk.stoploss"]);
    expect(names('a = self.runConfig.get("timeframe", "1h")')).toEqual(["timeframe"]);
    expect(names("a = params.risk.stoploss * 2")).toEqual(["risk.stoploss"]);
    expect(names("a = params.stoploss.toFixed(2)")).toEqual(["stoploss"]);
  });

  it("ignore method calls on params and unrelated lookups", () => {
    expect(names("for k in params.items(): pass")).toEqual([]);
    expect(names('x = params.get("a")')).toEqual(["a"]);
    expect(names('h = headers.get("content-type"); m = cache.get("key")')).toEqual([]);
    expect(names('widget("label"); env["HOME"]')).toEqual([]);
  });

  it("give file and line of every reference, each once per line", () => {
    const refs = findReferences(
      [{ path: "a.py", text: 'x = 1\ny = config["a"] + config["a"]\r\nz = params.b\n' }],
      DEFAULT_PATTERNS,
    );
    expect(refs).toEqual([
      { name: "a", file: "a.py", line: 2 },
      { name: "b", file: "a.py", line: 3 },
    ]);
  });
});

describe("userPattern", () => {
  it("uses the one capture group as the name", () => {
    const refs = findReferences(
      [{ path: "x.yaml", text: "use: P(alpha.beta) and P(gamma)" }],
      [userPattern("P\\(([a-z.]+)\\)")],
    );
    expect(refs.map((r) => r.name)).toEqual(["alpha.beta", "gamma"]);
  });

  it("accepts non-capturing groups besides the one capture group", () => {
    expect(() => userPattern("(?:cfg|conf)\\.([a-z]+)")).not.toThrow();
  });

  it("refuses no capture group, two capture groups, and an invalid expression", () => {
    expect(() => userPattern("config\\.[a-z]+")).toThrow(UsageError);
    expect(() => userPattern("(config)\\.([a-z]+)")).toThrow(/exactly one capture group.*it has 2/);
    expect(() => userPattern("config[(")).toThrow(/not a valid regular expression/);
  });
});

describe("compareWithCatalog", () => {
  it("lists referenced names the catalog lacks with their locations, and entries never referenced", () => {
    const report = checkSource(root, [
      param("risk.stoploss"),
      param("risk.max_trades"),
      param("features"),
      param("filters.min_volume"),
      param("execution.slippage"),
      param("old.param", { deprecated: true, replacement: "risk.stoploss" }),
    ]);
    expect(report.missing).toEqual([{ name: "risk.leverage", locations: ["strategy/unknown.go:1"] }]);
    expect(report.unreferenced).toEqual(["execution.slippage"]);
    expect(report.deprecated_referenced).toEqual([]);
    expect(report.files_scanned).toBe(3);
    expect(report.references).toBe(5);
    expect(hasDrift(report)).toBe(true);
  });

  it("is clean when every reference has an entry and every entry a reference", () => {
    const refs = [
      { name: "a", file: "x.py", line: 1 },
      { name: "b.c", file: "x.py", line: 2 },
    ];
    const report = compareWithCatalog(refs, [param("a"), param("b.c")]);
    expect(report).toMatchObject({ missing: [], unreferenced: [], deprecated_referenced: [] });
    expect(hasDrift(report)).toBe(false);
  });

  it("counts a read inside a parameter for it, and a group read as known without marking its entries", () => {
    const refs = [
      { name: "features.rsi.period", file: "x.py", line: 1 },
      { name: "risk", file: "x.py", line: 2 },
    ];
    const report = compareWithCatalog(refs, [param("features"), param("risk.stoploss")]);
    expect(report.missing).toEqual([]);
    expect(report.unreferenced).toEqual(["risk.stoploss"]);
  });

  it("never lists deprecated entries as unreferenced, and warns about references to them", () => {
    const refs = [{ name: "old", file: "x.py", line: 4 }];
    const report = compareWithCatalog(refs, [
      param("old", { deprecated: true, replacement: "new" }),
      param("gone", { deprecated: true }),
      param("new"),
    ]);
    expect(report.unreferenced).toEqual(["new"]);
    expect(report.deprecated_referenced).toEqual([{ name: "old", replacement: "new", locations: ["x.py:4"] }]);
  });

  it("sorts missing names, and keeps the locations of each in file and line order", () => {
    const refs = [
      { name: "zeta", file: "a.py", line: 1 },
      { name: "alpha", file: "a.py", line: 2 },
      { name: "zeta", file: "b.py", line: 7 },
    ];
    expect(compareWithCatalog(refs, []).missing).toEqual([
      { name: "alpha", locations: ["a.py:2"] },
      { name: "zeta", locations: ["a.py:1", "b.py:7"] },
    ]);
  });
});
