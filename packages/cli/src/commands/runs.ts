/** @module `tradai runs diff`: what differs between the parameters of two runs. */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { diffText } from "../output/runs.js";

export function runsCommand(): Command {
  const runs = new Command("runs").description("compare runs");
  runs
    .command("diff")
    .description("the parameter keys added, removed and changed from run A to run B")
    .argument("<JOB_A>")
    .argument("<JOB_B>")
    .action(async (a: string, b: string, _opts, command: Command) => {
      const api = apiFor(command);
      const [runA, runB] = await Promise.all([api.getRun(a), api.getRun(b)]);
      const diff = await api.diffParameterSets(runA.parameter_set_hash, runB.parameter_set_hash);
      print(
        command,
        diff,
        () =>
          `A ${a} (${runA.config_version_id ?? "no config version"})\nB ${b} (${runB.config_version_id ?? "no config version"})\n${diffText(diff)}`,
      );
    });
  return runs;
}
