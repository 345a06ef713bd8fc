/** @module `tradai config ...`: a strategy's config versions, their activation per environment, and what differs between two. */
import { type VersionStatus, versionStatus } from "@tradai/core";
import { type Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { exitCodeHelp } from "../exit-codes.js";
import { printGoverned, waitOption, waitSeconds } from "../governed/settle-proposal.js";
import { CommandGroup } from "../help/command-group.js";
import { readConfigData } from "../input/read-config-data.js";
import { activationSummary } from "../output/change-requests.js";
import { explainTable } from "../output/explain.js";
import { versionDetails, versionTable } from "../output/versions.js";
import { configDiffCommand } from "./config-diff.js";

const envOption = () => new Option("--env <environment>", "environment (default: the server's default environment)");

export function configCommand(): Command {
  const config = new CommandGroup("config", "a strategy's config versions");

  config
    .command("create")
    .description("create a config version (identical content returns the existing version)")
    .argument("<STRATEGY>", "strategy name, e.g. StochRsiStrategy")
    .option("--data <json>", "config data as a JSON object")
    .option("--file <path>", "config data from a .json, .yaml or .yml file")
    .option("--description <text>", "what this version changes")
    .addOption(envOption())
    .action(async (strategy: string, opts, command: Command) => {
      const json = readConfigData(opts);
      const created = await apiFor(command).createConfigFromJsonText(
        { strategy_name: strategy, config_data_json: json, description: opts.description },
        { environment: opts.env },
      );
      print(command, created, () =>
        created.deduplicated
          ? `Identical content already exists as ${created.config_id} (no new version created)\n${versionDetails(created)}`
          : `Created ${created.config_id}\n${versionDetails(created)}`,
      );
    });

  config
    .command("list")
    .description("list a strategy's versions, newest first")
    .argument("<STRATEGY>")
    .addOption(
      new Option("--status <status>", "only versions with this status").choices([
        ...versionStatus.options,
        ...versionStatus.options.map((s) => s.toUpperCase()),
      ]),
    )
    .option("--limit <n>", "at most this many", "50")
    .option("--offset <n>", "skip this many", "0")
    .addOption(envOption())
    .action(async (strategy: string, opts, command: Command) => {
      const page = await apiFor(command).listConfigs(strategy, {
        environment: opts.env,
        status: opts.status?.toLowerCase() as VersionStatus | undefined,
        limit: Number(opts.limit),
        offset: Number(opts.offset),
      });
      print(command, page, () => {
        const header = `${page.strategy_name} in ${page.environment}: ${page.total} version(s)`;
        const more = page.next_offset !== null ? `\n(more: --offset ${page.next_offset})` : "";
        return page.items.length === 0 ? `${header}` : `${header}\n${versionTable(page.items)}${more}`;
      });
    });

  config
    .command("show")
    .description("show one version with its config data")
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>")
    .addOption(envOption())
    .action(async (strategy: string, configId: string, opts, command: Command) => {
      const version = await apiFor(command).showConfig(strategy, configId, { environment: opts.env });
      print(command, version, () => versionDetails(version));
    });

  config
    .command("activate")
    .description(
      "make a version the active one in an environment, or propose it (a change request) where approval is needed",
    )
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>")
    .addOption(envOption())
    .option("--expect <CONFIG_ID>", "refuse (412) unless this version is active now ('none': no version)")
    .option("--freeze-override <reason>", "admin only: act in a frozen environment, giving the reason")
    .addOption(waitOption())
    .addHelpText("after", exitCodeHelp())
    .action(async (strategy: string, configId: string, opts, command: Command) => {
      const wait = waitSeconds(opts.wait);
      const outcome = await apiFor(command).activate(strategy, configId, {
        environment: opts.env,
        expectedActive: opts.expect === undefined ? undefined : opts.expect === "none" ? null : opts.expect,
        freezeOverrideReason: opts.freezeOverride,
      });
      await printGoverned(command, outcome, () => activationSummary(strategy, configId, outcome), wait);
    });

  config
    .command("rollback")
    .description("re-activate the version the active one superseded (a change request where approval is needed)")
    .argument("<STRATEGY>")
    .addOption(envOption())
    .option("--freeze-override <reason>", "admin only: act in a frozen environment, giving the reason")
    .addOption(waitOption())
    .addHelpText("after", exitCodeHelp())
    .action(async (strategy: string, opts, command: Command) => {
      const wait = waitSeconds(opts.wait);
      const outcome = await apiFor(command).rollback(strategy, {
        environment: opts.env,
        freezeOverrideReason: opts.freezeOverride,
      });
      const configId = "change_request" in outcome ? (outcome.change_request.config_id ?? "") : outcome.config_id;
      await printGoverned(command, outcome, () => activationSummary(strategy, configId, outcome), wait);
    });

  config
    .command("promote")
    .description("promote the version active in --from to --to (the policy of --to names its source)")
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>")
    .requiredOption("--from <env>", "the environment it is active in")
    .requiredOption("--to <env>", "the environment to promote it to")
    .option("--expect <CONFIG_ID>", "refuse (412) unless this version is active in --to now ('none': no version)")
    .option("--freeze-override <reason>", "admin only: act in a frozen environment, giving the reason")
    .addOption(waitOption())
    .addHelpText("after", exitCodeHelp())
    .action(async (strategy: string, configId: string, opts, command: Command) => {
      const wait = waitSeconds(opts.wait);
      const outcome = await apiFor(command).promote(strategy, configId, {
        from: opts.from,
        to: opts.to,
        expectedActive: opts.expect === undefined ? undefined : opts.expect === "none" ? null : opts.expect,
        freezeOverrideReason: opts.freezeOverride,
      });
      await printGoverned(command, outcome, () => activationSummary(strategy, configId, outcome), wait);
    });

  config
    .command("deprecate")
    .description("deprecate a version everywhere (terminal); if it is active in the environment, none is left active")
    .argument("<STRATEGY>")
    .argument("<CONFIG_ID>")
    .option("--reason <text>", "why it must not be used")
    .addOption(envOption())
    .action(async (strategy: string, configId: string, opts, command: Command) => {
      const result = await apiFor(command).deprecateConfig(strategy, configId, {
        environment: opts.env,
        reason: opts.reason,
      });
      print(command, result, () =>
        result.changed
          ? `Deprecated ${configId} of ${strategy}; it will be purged after ${result.purge_after ?? "-"} unless a run references it`
          : `${configId} was already deprecated (nothing changed)`,
      );
    });

  config
    .command("explain")
    .description("the resolved config of a strategy in an environment, with the origin of every value")
    .argument("<STRATEGY>")
    .addOption(envOption())
    .action(async (strategy: string, opts, command: Command) => {
      const resolved = await apiFor(command).resolve(strategy, { environment: opts.env, explain: true });
      print(command, resolved, () => explainTable(resolved));
    });

  config.addCommand(configDiffCommand());
  return config;
}
