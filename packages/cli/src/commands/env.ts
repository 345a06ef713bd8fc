/** @module `tradai env base show|set`: an environment's base values (versioned). */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { readConfigData } from "../input/read-config-data.js";

export function envCommand(): Command {
  const env = new Command("env").description("environment base values");
  const base = new Command("base").description(
    "values every strategy gets in an environment, under its config version",
  );
  base
    .command("show")
    .argument("<ENVIRONMENT>")
    .description("the latest base values")
    .action(async (environment: string, _opts, command: Command) => {
      const current = await apiFor(command).getEnvironmentBase(environment);
      print(
        command,
        current,
        () =>
          `${current.environment} base revision ${current.revision}${current.created_by ? ` by ${current.created_by} at ${current.created_at}` : ""}\n${JSON.stringify(current.values, null, 2)}`,
      );
    });
  base
    .command("set")
    .argument("<ENVIRONMENT>")
    .description("replace the base values (a new revision)")
    .option("--data <json>", "the values as a JSON object")
    .option("--file <path>", "the values from a .json or .yaml file")
    .action(async (environment: string, opts, command: Command) => {
      const values = JSON.parse(readConfigData(opts)) as Record<string, unknown>;
      const saved = await apiFor(command).putEnvironmentBase(environment, values);
      print(command, saved, () => `${saved.environment} base values saved as revision ${saved.revision}`);
    });
  env.addCommand(base);
  return env;
}
