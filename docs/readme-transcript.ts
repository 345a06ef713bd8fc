/**
 * @module The README's `console` blocks as data, and how a real output is compared with them.
 *
 * A block is a transcript: `$ command` lines, each followed by what it prints (stdout, then
 * stderr) and, when it does not exit 0, a last line `(exit N)`. What changes from one run to the
 * next is compared in a stable form: times and request ids become placeholders on both sides, and
 * `…` in the README stands for any text (a password, a path).
 */

export interface TranscriptStep {
  /** The command as the README shows it, without the `$ `. */
  command: string;
  expected: string[];
  exitCode: number;
  /** Line of the `$` in README.md (1-based), for failure messages. */
  line: number;
}

export interface Transcript {
  line: number;
  steps: TranscriptStep[];
}

const FENCE = /^```console\s*$/;

export function readTranscripts(readme: string): Transcript[] {
  const lines = readme.split("\n");
  const blocks: Transcript[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i] ?? "")) continue;
    const block: Transcript = { line: i + 1, steps: [] };
    for (i++; i < lines.length && !(lines[i] ?? "").startsWith("```"); i++) {
      const text = lines[i] ?? "";
      if (text.startsWith("$ ")) block.steps.push({ command: text.slice(2), expected: [], exitCode: 0, line: i + 1 });
      else block.steps.at(-1)?.expected.push(text);
    }
    for (const step of block.steps) {
      while (step.expected.length > 0 && step.expected.at(-1)?.trim() === "") step.expected.pop();
      const exit = /^\(exit (\d+)\)$/.exec(step.expected.at(-1) ?? "");
      if (exit) {
        step.exitCode = Number(exit[1]);
        step.expected.pop();
      }
    }
    blocks.push(block);
  }
  return blocks;
}

const TIME = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Times and request ids as placeholders; trailing spaces dropped. */
export const stable = (line: string) => line.replace(TIME, "<time>").replace(UUID, "<request-id>").replace(/\s+$/, "");

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether an output line matches a README line (`…` matches any text). */
export function lineMatches(expected: string, actual: string): boolean {
  const pattern = stable(expected).split("…").map(escapeRegExp).join(".*");
  return new RegExp(`^${pattern}$`).test(stable(actual));
}

/** The first difference between what the README shows and what ran, or undefined. */
export function firstDifference(expected: string[], actual: string[]): string | undefined {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (want === undefined) return `line ${i + 1}: the README ends; the output goes on with: ${got}`;
    if (got === undefined) return `line ${i + 1}: the output ends; the README goes on with: ${want}`;
    if (!lineMatches(want, got)) return `line ${i + 1}:\n  README: ${want}\n  output: ${got}`;
  }
  return undefined;
}
