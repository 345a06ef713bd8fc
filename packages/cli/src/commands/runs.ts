/** @module `tradai runs diff` and `tradai runs compare`: what differs between two runs, and what comparing them allows. */
import type { Command } from "commander";
import { apiFor, print } from "../context.js";
import { CommandGroup } from "../help/command-group.js";
import { comparisonText, metricComparisonTable } from "../output/comparison.js";
import { diffText } from "../output/runs.js";

const COMPARE_HELP = `
Verdicts (docs/comparability.md):
  strict     the same parameter set (apart from what identifies a run)
  relaxed    the same values; only keys the catalog marks "comparability: ignore",
             code or platform versions a patch apart, or the context around the values differ
  forbidden  a used key's value or catalog type differs, code versions differ in minor or
             major version (or cannot be read as semver), or either run is legacy

Prints the verdict, then every difference key by key with why it does or does not matter,
then the metrics side by side with B - A. --json prints the raw answer of
GET /api/v1/runs/compare.

Exit status: 0 whatever the verdict (forbidden is an answer, not an error); 1 when the
server refuses (an unknown run, one outside your environments); 2 for usage errors.`;

export function runsCommand(): Command {
  const runs = new CommandGroup("runs", "two runs side by side");
  runs
    .command("diff")
    .description("the parameter keys added, removed and changed from run A to run B, then their metrics with B - A")
    .argument("<JOB_A>")
    .argument("<JOB_B>")
    .action(async (a: string, b: string, _opts, command: Command) => {
      const api = apiFor(command);
      const [runA, runB, comparison] = await Promise.all([api.getRun(a), api.getRun(b), api.compareRuns(a, b)]);
      const diff = await api.diffParameterSets(runA.parameter_set_hash, runB.parameter_set_hash);
      print(command, { ...diff, metrics: comparison.metrics }, () =>
        [
          `A ${a} (${runA.config_version_id ?? "no config version"})`,
          `B ${b} (${runB.config_version_id ?? "no config version"})`,
          diffText(diff),
          "",
          metricComparisonTable(comparison.metrics),
        ].join("\n"),
      );
    });
  runs
    .command("compare")
    .description("whether run A and run B may be compared (strict, relaxed, forbidden), why, and their metrics")
    .argument("<JOB_A>")
    .argument("<JOB_B>")
    .addHelpText("after", COMPARE_HELP)
    .action(async (a: string, b: string, _opts, command: Command) => {
      const comparison = await apiFor(command).compareRuns(a, b);
      print(command, comparison, () => comparisonText(comparison));
    });
  return runs;
}
