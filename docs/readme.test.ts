/**
 * The README runs as written (issue 27): its `console` blocks, in order, on a fresh machine's
 * terms. `$ npm start` starts what `npm start` starts after building (`tradai serve` with demo
 * data, on the embedded database in ./.tradai/data; port 0 here, shown as 8000); each other
 * command runs in bash, where `npx tradai` is this checkout's CLI. Every command gets the admin's
 * password on stdin (what a person types when `login` asks). Each output must be what the README
 * shows, on its stable parts (readme-transcript.ts); the server's log lines (readable ones, as on
 * a terminal) are not part of the transcript.
 *
 * TRADAI_README_TRANSCRIPT=<file> also writes what ran, in README form, to that file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { firstDifference, readTranscripts } from "./readme-transcript.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI_BIN = join(ROOT, "packages/cli/bin/tradai.js");
const transcripts = readTranscripts(readFileSync(join(ROOT, "README.md"), "utf8"));

// A fresh machine: /home/me with the checkout in /home/me/tradai, under a temporary root.
const root = mkdtempSync(join(tmpdir(), "tradai-readme-"));
const home = join(root, "home/me");
const checkout = join(home, "tradai");
const bin = join(root, "bin");
mkdirSync(checkout, { recursive: true });
mkdirSync(bin);
writeFileSync(
  join(bin, "npx"),
  `#!/bin/sh\nif [ "$1" = tradai ]; then shift; exec "${process.execPath}" "${CLI_BIN}" "$@"; fi\necho "readme test: only npx tradai runs here" >&2; exit 127\n`,
);
chmodSync(join(bin, "npx"), 0o755);

const env = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TRADAI_"))),
  HOME: home,
  XDG_CONFIG_HOME: "",
  PATH: `${bin}:${process.env.PATH}`,
  NO_COLOR: "1",
  ...(serverUrl ? { TRADAI_URL: serverUrl } : {}),
});

let server: ChildProcess | undefined;
let serverUrl: string | undefined;
let serverOutput = "";
/** The generated passwords, never shown: the README has `…` where they are. */
const passwords: string[] = [];

/** What the README would show for an output: this machine's paths, URL and passwords as there. */
function asInReadme(text: string): string[] {
  let shown = text.replaceAll(root, "");
  if (serverUrl) shown = shown.replaceAll(serverUrl, "http://localhost:8000");
  for (const password of passwords) shown = shown.replaceAll(password, "…");
  const lines = shown.split("\n");
  while (lines.length > 0 && lines.at(-1)?.trim() === "") lines.pop();
  return lines;
}

const record = (command: string, lines: string[], code: number) => {
  const file = process.env.TRADAI_README_TRANSCRIPT;
  if (file) appendFileSync(file, [`$ ${command}`, ...lines, ...(code === 0 ? [] : [`(exit ${code})`]), ""].join("\n"));
};

async function npmStart(): Promise<{ lines: string[]; code: number }> {
  server = spawn(process.execPath, [CLI_BIN, "serve"], {
    cwd: checkout,
    // As on a terminal: readable log lines, between which the README's lines stand.
    env: { ...env(), TRADAI_DEMO_DATA: "true", TRADAI_PORT: "0", TRADAI_LOG_FORMAT: "pretty" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const started = new Promise<void>((done, fail) => {
    const take = (chunk: Buffer) => {
      serverOutput += chunk.toString("utf8");
      const url = /listening on (http:\/\/\S+)/.exec(serverOutput)?.[1];
      if (url && /API docs: .*\n/.test(serverOutput)) {
        serverUrl = url;
        done();
      }
    };
    server?.stdout?.on("data", take);
    server?.stderr?.on("data", take);
    server?.once("exit", (code) => fail(new Error(`tradai serve exited (${code}):\n${serverOutput}`)));
  });
  await started;
  for (const line of readFileSync(join(checkout, ".tradai/data/first-credentials.txt"), "utf8").split("\n"))
    if (!line.startsWith("#") && line.trim()) passwords.push(line.split(" ")[2] ?? "");
  const logLine = /^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+: /;
  const lines = asInReadme(serverOutput).filter((l) => !logLine.test(l) && l.trim() !== "");
  return { lines, code: 0 };
}

async function shell(command: string): Promise<{ lines: string[]; code: number }> {
  const child = spawn("bash", ["-c", command], { cwd: checkout, env: env(), stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdin.on("error", () => {}); // a command that reads nothing may close stdin first
  child.stdin.end(`${passwords[0] ?? ""}\n`);
  const [code] = (await once(child, "close")) as [number];
  return { lines: [...asInReadme(stdout), ...asInReadme(stderr)], code };
}

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
  rmSync(root, { recursive: true, force: true });
});

describe("the README, run as written", () => {
  it("has console transcripts, the first starting the platform with npm start", () => {
    expect(transcripts.length).toBeGreaterThanOrEqual(2);
    expect(transcripts[0]?.steps[0]?.command).toBe("npm start");
  });

  for (const transcript of transcripts) {
    for (const step of transcript.steps) {
      it(`README.md:${step.line}: $ ${step.command}`, async () => {
        const { lines, code } = step.command === "npm start" ? await npmStart() : await shell(step.command);
        record(step.command, lines, code);
        const difference = firstDifference(step.expected, lines);
        expect(
          difference,
          `README.md:${step.line} $ ${step.command}\n${difference}\n--- output:\n${lines.join("\n")}`,
        ).toBe(undefined);
        expect(code, lines.join("\n")).toBe(step.exitCode);
      });
    }
  }
});
