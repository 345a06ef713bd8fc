/** @module `tradai completion bash|zsh|fish`: prints a shell completion script for this CLI. */
import { Argument, Command } from "commander";
import { completionTree } from "../completion/command-tree.js";
import { bashScript, fishScript, zshScript } from "../completion/scripts.js";

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export function completionCommand(): Command {
  return new Command("completion")
    .description('print a shell completion script: eval "$(tradai completion bash)"')
    .addArgument(new Argument("<SHELL>", "the shell").choices(Object.keys(SCRIPTS)))
    .action((shell: keyof typeof SCRIPTS, _opts, command: Command) => {
      const program = command.parent as Command;
      process.stdout.write(SCRIPTS[shell](completionTree(program)));
    });
}
