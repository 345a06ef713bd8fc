/**
 * @module A command group whose description names its sub-commands as they are when help is shown,
 * so adding a sub-command can never leave the description stale.
 * @example
 * const config = new CommandGroup("config", "config versions of a strategy");
 * config.command("create"); config.command("list");
 * config.description(); // "config versions of a strategy: create and list"
 */
import { Command } from "commander";

/** "a", "a and b", "a, b and c". */
export function verbList(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export class CommandGroup extends Command {
  #subject: string;

  /** @param subject what the group is about, e.g. "config versions of a strategy" */
  constructor(name: string, subject: string) {
    super(name);
    this.#subject = subject;
  }

  /** The sub-commands help lists, in its order (hidden ones and the implicit `help` left out). */
  subcommandNames(): string[] {
    const visible = new Set(this.createHelp().visibleCommands(this));
    return this.commands.filter((command) => visible.has(command)).map((command) => command.name());
  }

  override description(str: string): this;
  override description(str: string, argsDescription: Record<string, string>): this;
  override description(): string;
  override description(str?: string, argsDescription?: Record<string, string>): this | string {
    if (str === undefined) {
      const names = this.subcommandNames();
      return names.length === 0 ? this.#subject : `${this.#subject}: ${verbList(names)}`;
    }
    this.#subject = str;
    if (argsDescription) super.description("", argsDescription);
    return this;
  }
}
