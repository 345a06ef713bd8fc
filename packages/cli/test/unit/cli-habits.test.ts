/**
 * The CLI's habits (issue 22): --version, completion scripts for bash, zsh and fish that know
 * every command and option, and errors as JSON on stderr with --json, the exit codes unchanged.
 * Runs the built CLI (`npm run build`) as a process; bash, zsh and fish run the scripts.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { completionTree } from "../../src/completion/command-tree.js";
import { buildProgram } from "../../src/program.js";

const BIN = new URL("../../bin/tradai.js", import.meta.url).pathname;
const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

const tradai = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: "/nonexistent", NO_COLOR: "1" },
  });

/** What the shell's completion offers for `line` (the last word being completed). */
function complete(shell: "bash" | "zsh" | "fish", line: string): string[] {
  const script = tradai("completion", shell).stdout;
  const words = line.split(" ");
  const setup =
    shell === "fish"
      ? `complete -C ${JSON.stringify(line)}`
      : `${shell === "zsh" ? "setopt ksharrays; " : ""}COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _tradai; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const ran = spawnSync(shell, ["-c", `${script}\n${setup}`], { encoding: "utf8" });
  expect(ran.status, ran.stderr).toBe(0);
  return ran.stdout.split("\n").filter(Boolean);
}

describe("tradai --version", () => {
  it("prints the CLI's version and exits 0", () => {
    for (const flag of ["--version", "-V"]) {
      const result = tradai(flag);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`tradai ${VERSION}\n`);
    }
  });
});

describe("tradai completion", () => {
  it("bash completes commands at every depth, skipping option values, and each command's options", () => {
    expect(complete("bash", "tradai con")).toEqual(["config"]);
    expect(complete("bash", "tradai --env dev config act")).toEqual(["activate"]);
    expect(complete("bash", "tradai config activate S v1-00000000 --fr")).toEqual(["--freeze-override"]);
    expect(complete("bash", "tradai config activate S v1-00000000 --w")).toEqual(["--wait"]);
  });

  it("zsh (its bash emulation) offers the words of the command reached; fish completes like bash", () => {
    const zsh = complete("zsh", "tradai --env dev config act");
    expect(zsh).toContain("activate");
    expect(zsh).not.toContain("strategies"); // a top-level command: the path was followed
    expect(complete("fish", "tradai con")).toEqual(["config"]);
    expect(complete("fish", "tradai --env dev config act")).toEqual(["activate"]);
  });

  it("knows every command of the tree", () => {
    const nodes = completionTree(buildProgram());
    const script = tradai("completion", "bash").stdout;
    for (const node of nodes.filter((n) => n.path)) expect(script).toContain(`'${node.path}')`);
    expect(nodes.find((n) => n.path === "config")?.commands).toEqual(
      buildProgram()
        .commands.find((c) => c.name() === "config")
        ?.commands.map((c) => c.name()),
    );
  });

  it("refuses a shell it does not know (exit 2)", () => {
    const result = tradai("completion", "powershell");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Allowed choices are bash, zsh, fish");
  });
});

describe("errors with --json", () => {
  it("a usage error is one JSON problem on stderr, exit 2, and nothing in plain text", () => {
    const result = tradai("--json", "config", "show", "X");
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({
      type: "https://tradai.dev/problems/cli-usage",
      title: "Usage error",
      status: null,
      detail: "missing required argument 'CONFIG_ID'",
      exit_code: 2,
    });
    expect(result.stdout).toBe("");
  });

  it("an unreachable server is a JSON problem too, exit 1", () => {
    const result = tradai("--json", "--url", "http://127.0.0.1:9", "config", "show", "X", "v1-00000000");
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stderr)).toMatchObject({
      type: "https://tradai.dev/problems/server-unreachable",
      exit_code: 1,
      detail: expect.stringContaining("cannot reach the TradAI server at http://127.0.0.1:9"),
    });
  });

  it("without --json the same error stays plain text", () => {
    const result = tradai("config", "show", "X");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: missing required argument 'CONFIG_ID'");
  });
});
