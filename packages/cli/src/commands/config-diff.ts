/**
 * @module `tradai config diff STRATEGY A [B]`: the keys added, removed and changed from version A
 * to version B (by default the version active in --env), computed by core's diffValues.
 */
import { type ConfigVersion, diffValues, type ValuesDiff } from "@tradai/core";
import { Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { valuesDiffText } from "../output/runs.js";
import { UsageError } from "../usage-error.js";

/** What `--json` prints. */
export interface ConfigDiff extends ValuesDiff {
  strategy_name: string;
  a: string;
  b: string;
  /** the environment whose active version B is, when B was not given */
  b_active_in: string | null;
}

/** The version active in `environment` (the server's default when undefined); a usage error when none is. */
async function activeVersion(
  api: ReturnType<typeof apiFor>,
  strategy: string,
  environment: string | undefined,
): Promise<ConfigVersion> {
  const page = await api.listConfigs(strategy, { environment, status: "active", limit: 1 });
  const active = page.items[0];
  if (!active) {
    throw new UsageError(
      `no version of ${strategy} is active in ${page.environment}: name version B (tradai config diff ${strategy} A B)`,
    );
  }
  return active;
}

export function configDiffCommand(): Command {
  return new Command("diff")
    .description("the keys added, removed and changed from version A to version B (default: the active version)")
    .argument("<STRATEGY>")
    .argument("<A>", "config id of the version to compare from")
    .argument("[B]", "config id of the version to compare to (default: the one active in --env)")
    .addOption(new Option("--env <environment>", "where B is the active version (default: the server's default)"))
    .action(async (strategy: string, a: string, b: string | undefined, opts, command: Command) => {
      const api = apiFor(command);
      const [from, to] = await Promise.all([
        api.showConfig(strategy, a, { environment: opts.env }),
        b === undefined
          ? activeVersion(api, strategy, opts.env)
          : api.showConfig(strategy, b, { environment: opts.env }),
      ]);
      const diff: ConfigDiff = {
        strategy_name: strategy,
        a: from.config_id,
        b: to.config_id,
        b_active_in: b === undefined ? to.environment : null,
        ...diffValues(from.config_data, to.config_data),
      };
      print(command, diff, () => {
        const activeIn = diff.b_active_in ? ` (active in ${diff.b_active_in})` : "";
        const header = `${strategy}\nA ${diff.a}\nB ${diff.b}${activeIn}`;
        return `${header}\n${valuesDiffText(diff, "the two versions have the same config data")}`;
      });
    });
}
