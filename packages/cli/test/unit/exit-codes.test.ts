/** The CLI's exit codes are one table: in `tradai --help` and in the README, word for word. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_TABLE, exitCodeHelp } from "../../src/exit-codes.js";
import { buildProgram } from "../../src/program.js";

const README = new URL("../../../../README.md", import.meta.url);

describe("exit codes", () => {
  it("the README's table is the CLI's table", () => {
    const rows = readFileSync(README, "utf8")
      .split("\n")
      .map((line) => /^\| `(\d)` \| (.+) \|$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [Number(m[1]), (m[2] ?? "").replaceAll("`", "")]);
    expect(rows).toEqual(EXIT_CODE_TABLE.map(([code, meaning]) => [code, meaning]));
  });

  it("tradai --help ends with the table", () => {
    const program = buildProgram();
    let help = "";
    program.configureOutput({ writeOut: (text) => (help += text) });
    program.outputHelp();
    expect(help.trimEnd().endsWith(exitCodeHelp().trimEnd())).toBe(true);
    expect(new Set(EXIT_CODE_TABLE.map(([code]) => code)).size).toBe(EXIT_CODE_TABLE.length);
  });
});
