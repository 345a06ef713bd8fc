/** @module `tradai catalog revisions [--diff A B]` and `tradai catalog grid <a,b>`. */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { formatTable } from "../output/table.js";
import { UsageError } from "../usage-error.js";

const show = (v: unknown) => (v === undefined || v === null ? "-" : JSON.stringify(v));

export function catalogRevisionsCommand(): Command {
  return new Command("revisions")
    .description("catalog revisions, newest first; --diff A B: what changed from A to B")
    .option("--diff <revisions...>", "two revision numbers")
    .action(async (opts, command: Command) => {
      const api = apiFor(command);
      if (opts.diff) {
        const [a, b] = (opts.diff as string[]).map(Number);
        if (opts.diff.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b)) {
          throw new UsageError("--diff takes two revision numbers, e.g. --diff 3 7");
        }
        const diff = await api.diffCatalogRevisions(a as number, b as number);
        const rows = [
          ...Object.entries(diff.added).map(([k, v]) => [k, "added", "-", show(v)]),
          ...Object.entries(diff.removed).map(([k, v]) => [k, "removed", show(v), "-"]),
          ...Object.entries(diff.changed).map(([k, v]) => [k, "changed", show(v.old), show(v.new)]),
        ];
        print(command, diff, () =>
          rows.length === 0
            ? `no change from revision ${a} to ${b}`
            : formatTable([["SUBJECT", "CHANGE", `AT ${a}`, `AT ${b}`], ...rows]),
        );
        return;
      }
      const revisions = await api.catalogRevisions();
      print(command, revisions, () =>
        formatTable([
          ["REVISION", "WHEN", "BY", "SUMMARY", "FORCED"],
          ...revisions.items.map((r) => [
            String(r.revision),
            r.created_at,
            r.created_by,
            r.summary,
            r.forced_reason ?? "-",
          ]),
        ]),
      );
    });
}

export function catalogGridCommand(): Command {
  return new Command("grid")
    .description("the cartesian grid of the parameters' variants (what an experiment sweep tries)")
    .argument("<PARAMETERS>", "comma-separated parameter names")
    .option("--strategy <name>", "only parameters that apply to this strategy")
    .action(async (names: string, opts, command: Command) => {
      const parameters = names
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
      const grid = await apiFor(command).variantGrid(parameters, opts.strategy);
      print(command, grid, () =>
        [
          `${grid.size} combination(s) (catalog revision ${grid.revision})`,
          formatTable([grid.parameters, ...grid.combinations.map((c) => grid.parameters.map((p) => show(c[p])))]),
        ].join("\n"),
      );
    });
}
