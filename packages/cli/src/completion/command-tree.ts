/** @module The command tree as completion needs it: every command path with what may follow it. */
import type { Command } from "commander";

export interface CompletionNode {
  /** "" for tradai itself, else e.g. "config activate" */
  path: string;
  commands: string[];
  options: string[];
}

const optionNames = (command: Command) =>
  command.options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short].filter((n): n is string => Boolean(n)));

export function completionTree(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const walk = (command: Command, path: string, inherited: string[]) => {
    const subs = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
    const options = [...new Set([...optionNames(command), ...inherited, "--help"])];
    nodes.push({ path, commands: subs.flatMap((c) => [c.name(), ...c.aliases()]), options });
    for (const sub of subs)
      for (const name of [sub.name(), ...sub.aliases()]) walk(sub, path ? `${path} ${name}` : name, inherited);
  };
  // The global options (--url, --json, ...) may follow any command.
  walk(program, "", optionNames(program));
  return nodes;
}
