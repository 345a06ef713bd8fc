/**
 * @module Where passwords come from, never from an argument (it would show in `ps` and the shell
 * history): an environment variable; else the lines piped into stdin (`echo pw | tradai login`),
 * one secret a line, in the order the command asks for them; else a prompt on the terminal that
 * does not echo what is typed.
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { UsageError } from "../usage-error.js";

let pipedLines: Promise<string[]> | undefined;
let pipedUsed = 0;

/** All of stdin (when it is not a terminal), read once, as lines. */
function readPipedLines(): Promise<string[]> {
  pipedLines ??= (async () => {
    let text = "";
    process.stdin.setEncoding("utf8");
    for await (const chunk of process.stdin) text += chunk as string;
    return text.split(/\r?\n/);
  })();
  return pipedLines;
}

/** Asks on the terminal (prompt on stderr) and reads one line; `hidden`: typing is not echoed. */
export function promptLine(prompt: string, { hidden }: { hidden: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    // Hidden: readline echoes into a sink, so only the prompt, written here, reaches the terminal.
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const output = hidden ? muted : process.stderr;
    const rl = createInterface({ input: process.stdin, output, terminal: true, prompt });
    if (hidden) process.stderr.write(prompt);
    else rl.prompt();
    let answer: string | undefined;
    rl.on("line", (line) => {
      answer = line;
      rl.close();
    });
    rl.on("SIGINT", () => rl.close());
    rl.on("close", () => {
      if (hidden) process.stderr.write("\n");
      if (answer === undefined) reject(new UsageError("cancelled"));
      else resolve(answer);
    });
  });
}

export interface SecretSource {
  /** What it is, for messages: "password", "new password for bob". */
  what: string;
  /** The environment variable that may hold it, e.g. TRADAI_PASSWORD. */
  envVar: string;
  /** Ask twice on a terminal and refuse a mismatch (for a new password). */
  confirm?: boolean;
}

/** A secret from `envVar`, the next piped stdin line, or a prompt without echo; never empty. */
export async function readSecret({ what, envVar, confirm = false }: SecretSource): Promise<string> {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const lines = await readPipedLines();
    const line = lines[pipedUsed++];
    if (!line) throw new UsageError(`no ${what}: set ${envVar}, or pipe it on stdin (one line)`);
    return line;
  }
  const secret = await promptLine(`${what[0]?.toUpperCase()}${what.slice(1)}: `, { hidden: true });
  if (!secret) throw new UsageError(`no ${what} given`);
  if (confirm && (await promptLine("Repeat it: ", { hidden: true })) !== secret) {
    throw new UsageError("the two entries differ");
  }
  return secret;
}
