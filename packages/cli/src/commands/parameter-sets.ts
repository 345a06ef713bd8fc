/** @module `tradai parameter-sets show HASH`: everything a run or a session's apply was bound to. */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { parameterSetText } from "../output/parameter-set.js";
import { UsageError } from "../usage-error.js";

export function parameterSetsCommand(): Command {
  const sets = new Command("parameter-sets").description(
    "parameter sets: the exact values a run or a worker's apply used, with provenance, catalog metadata and code versions",
  );
  sets
    .command("show")
    .description(
      "a parameter set: its hash (checked against its content), origin, and every value with what the catalog said of it",
    )
    .argument("<HASH>", "the full 64-hex hash (backtest show, workers history --at and --json print it)")
    .action(async (hash: string, _opts, command: Command) => {
      if (!/^[0-9a-f]{64}$/.test(hash)) {
        throw new UsageError(
          `HASH must be the full 64 lower-case hex digits of a parameter set, not "${hash}" (tables shorten it to 12: tradai backtest show or --json print it whole)`,
        );
      }
      const response = await apiFor(command).getParameterSet(hash);
      print(command, response, () => parameterSetText(response));
    });
  return sets;
}
