/** @module `tradai strategies`: which version each strategy runs in each environment (GET /api/v1/configs). */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { strategyTable } from "../output/strategies.js";

export function strategiesCommand(): Command {
  return new Command("strategies")
    .description("every strategy with its active config version in each environment ('-': none)")
    .action(async (_opts, command: Command) => {
      const list = await apiFor(command).listStrategies();
      print(command, list, () => strategyTable(list));
    });
}
