/** @module `tradai catalog list|show|shadow|set|deprecate|export|import|check`: the parameter catalog. */
import { writeFileSync } from "node:fs";
import { type ApiClient, ApiProblemError, type ForceOption, isProposed } from "@tradai/client";
import {
  CATALOG_PRESETS,
  type CatalogParameter,
  catalogParameter,
  PARAMETER_TYPES,
  type ParameterType,
  RELOAD_CLASSES,
} from "@tradai/core";
import { type Command, Option } from "commander";
import { catalogDocument, formatFor, readCatalogFile, renderDocument } from "../catalog/document.js";
import { planImport, summaryLines } from "../catalog/import-plan.js";
import { definitionFrom, type SetOptions } from "../catalog/set-options.js";
import { apiFor, print, wantsJson } from "../context.js";
import { EXIT_PROPOSED } from "../exit-codes.js";
import { printGoverned } from "../governed/settle-proposal.js";
import { CommandGroup } from "../help/command-group.js";
import { catalogTable, parameterDetails, shadowTable } from "../output/catalog.js";
import { proposalSummary } from "../output/change-requests.js";
import { UsageError } from "../usage-error.js";
import { catalogCheckCommand } from "./catalog-check.js";
import { catalogGridCommand, catalogRevisionsCommand } from "./catalog-history.js";

const forceOption = () =>
  new Option("--force-reason <why>", "apply even though active versions would become invalid, recording why");

/** A catalog change alters what every environment resolves: in a frozen one it needs an override. */
const freezeOption = () =>
  new Option(
    "--freeze-override <reason>",
    "admin only: act although an environment it changes is frozen, giving the reason",
  );

const force = (opts: { forceReason?: string; freezeOverride?: string }): ForceOption => ({
  forceReason: opts.forceReason,
  freezeOverrideReason: opts.freezeOverride,
});

/** The parameter, or undefined when the catalog has none by that name. */
async function existing(api: ApiClient, name: string): Promise<CatalogParameter | undefined> {
  try {
    return (await api.getParameter(name)).parameter;
  } catch (error) {
    if (error instanceof ApiProblemError && error.status === 404) return undefined;
    throw error;
  }
}

/** Everything the catalog holds: all parameters, rules and policies. */
async function serverState(api: ApiClient) {
  const [listing, rules] = await Promise.all([api.listCatalog(), api.listRules()]);
  return {
    revision: listing.revision,
    parameters: listing.items.map((i) => i.parameter),
    rules: rules.items,
    policies: listing.policies,
  };
}

/** A preset as a catalog file would hold it: its parameters, no rules, no policies. */
function presetDocument(name: string) {
  const parameters = (CATALOG_PRESETS[name] ?? []).map((p) => catalogParameter.parse(p));
  return { parameters, rules: [], policies: {} };
}

export function catalogCommand(): Command {
  const catalog = new CommandGroup("catalog", "the parameter catalog");

  catalog
    .command("list")
    .description("list parameters (all, or filtered)")
    .option("--group <group>", "only this group")
    .option("--strategy <strategy>", "only parameters that apply to this strategy")
    .addOption(new Option("--type <type>", "only this type").choices(PARAMETER_TYPES))
    .option("--deprecated", "only deprecated parameters")
    .option("--no-deprecated", "leave deprecated parameters out")
    .option("--search <text>", "text in the name or description")
    .action(async (opts, command: Command) => {
      const listing = await apiFor(command).listCatalog({
        group: opts.group,
        strategy: opts.strategy,
        type: opts.type as ParameterType | undefined,
        deprecated: opts.deprecated as boolean | undefined,
        q: opts.search,
      });
      print(command, listing, () => catalogTable(listing));
    });

  catalog
    .command("shadow")
    .description(
      "the evidence on shadow parameters: per key, how many would-apply reports, on how many workers, over which period, how many mid-trade",
    )
    .option("--environment <env>", "only this environment (default: all you may see)")
    .option("--since <time>", "only reports made at or after this ISO 8601 time")
    .action(async (opts, command: Command) => {
      const evidence = await apiFor(command).shadowEvidence({ environment: opts.environment, since: opts.since });
      print(command, evidence, () => shadowTable(evidence.items));
    });

  catalog
    .command("show")
    .description("show every field of one parameter")
    .argument("<NAME>", "parameter name, e.g. risk.stoploss")
    .action(async (name: string, _opts, command: Command) => {
      const entry = await apiFor(command).getParameter(name);
      print(command, entry, () => parameterDetails(entry));
    });

  catalog
    .command("set")
    .description("create a parameter, or update it (only the given flags change)")
    .argument("<NAME>", "parameter name, e.g. risk.stoploss")
    .option("--type <type>", `one of ${PARAMETER_TYPES.join(", ")} (needed to create)`)
    .option("--description <text>", "what the parameter does (needed to create)")
    .option("--group <group>", "group, e.g. risk")
    .option("--unit <unit>", "unit, e.g. fraction, s")
    .option("--min <n>", "lowest allowed value (int, number)")
    .option("--max <n>", "highest allowed value (int, number)")
    .option("--step <n>", "values must be a multiple of this (int, number)")
    .option("--allowed <values>", "allowed values, comma-separated: a,b,c")
    .option("--default <value>", "default value: JSON, or plain text")
    .option("--required", "a value must resolve for the strategy")
    .option("--no-required", "a value need not resolve")
    .addOption(
      new Option(
        "--reload <class>",
        "how workers pick up a change: hot (next boundary), between_trades (a boundary with no open trade), restart, shadow (never; workers report where it would have applied)",
      ).choices(RELOAD_CLASSES),
    )
    .addOption(new Option("--criticality <level>", "criticality").choices(["normal", "critical"]))
    .addOption(
      new Option(
        "--comparability <rule>",
        "ignore: runs that differ only in this key still compare (relaxed), e.g. stake_amount",
      ).choices(["compare", "ignore"]),
    )
    .option("--immutable", "may not change once active in prod")
    .option("--no-immutable", "may change in prod")
    .option("--variants <json>", "values an experiment sweep may try, as a JSON array")
    .option(
      "--deprecated-values <json>",
      'values no version or run may use, each with its replacement and why, as a JSON object keyed by the value (its JSON text if not a string): \'{"ATR1.5_3.0_H5": {"replacement": "ATR0.5_1.5_H4", "reason": "incident #673"}}\'; {} clears them',
    )
    .option("--strategies <names>", "strategies it applies to, comma-separated (empty: all)")
    .addOption(forceOption())
    .addOption(freezeOption())
    .action(
      async (name: string, opts: SetOptions & { forceReason?: string; freezeOverride?: string }, command: Command) => {
        const api = apiFor(command);
        const current = await existing(api, name);
        const definition = definitionFrom(name, opts, current);
        const result = current
          ? await api.updateParameter(definition, force(opts))
          : await api.createParameter(definition, force(opts));
        await printGoverned(command, result, () => {
          if (isProposed(result)) return proposalSummary(result);
          if (!result.changed) return `${name} unchanged (catalog revision ${result.revision})`;
          return `${current ? "Updated" : "Created"} ${name}: catalog revision ${result.revision}`;
        });
      },
    );

  catalog
    .command("deprecate")
    .description("deprecate a parameter: configs using it are refused, naming the replacement")
    .argument("<NAME>")
    .requiredOption("--reason <why>", "why it must not be used")
    .option("--replacement <name>", "the parameter to use instead")
    .addOption(forceOption())
    .addOption(freezeOption())
    .action(async (name: string, opts, command: Command) => {
      const result = await apiFor(command).deprecateParameter(
        name,
        { reason: opts.reason, ...(opts.replacement ? { replacement: opts.replacement } : {}) },
        force(opts),
      );
      await printGoverned(command, result, () => {
        if (isProposed(result)) return proposalSummary(result);
        if (!result.changed) return `${name} was already deprecated that way (catalog revision ${result.revision})`;
        const instead = opts.replacement ? ` (use ${opts.replacement})` : "";
        return `Deprecated ${name}${instead}: catalog revision ${result.revision}`;
      });
    });

  catalog
    .command("export")
    .description("write the catalog (parameters, rules, policies) as YAML, or JSON with --json or a .json file")
    .option("--file <path>", "write to this file (.yaml, .yml or .json) instead of stdout")
    .action(async (opts: { file?: string }, command: Command) => {
      const state = await serverState(apiFor(command));
      const text = renderDocument(catalogDocument(state), formatFor(opts.file, wantsJson(command)));
      if (opts.file === undefined) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(opts.file, text);
      process.stdout.write(
        `Wrote ${state.parameters.length} parameter(s), ${state.rules.length} rule(s), ` +
          `${Object.keys(state.policies).length} policy(ies) of catalog revision ${state.revision} to ${opts.file}\n`,
      );
    });

  catalog
    .command("import")
    .description(
      "apply a catalog file, or a preset (--preset freqtrade): creates and updates what differs, deletes nothing",
    )
    .argument("[FILE]", "a .yaml, .yml or .json file as written by `catalog export`")
    .addOption(
      new Option("--preset <name>", "apply a built-in preset instead of a file (Freqtrade's standard keys)").choices(
        Object.keys(CATALOG_PRESETS),
      ),
    )
    .option("--dry-run", "print what would change, change nothing")
    .addOption(forceOption())
    .addOption(freezeOption())
    .action(
      async (
        file: string | undefined,
        opts: { preset?: string; dryRun?: boolean; forceReason?: string; freezeOverride?: string },
        command: Command,
      ) => {
        if ((file === undefined) === (opts.preset === undefined))
          throw new UsageError("give a catalog FILE or --preset NAME (one of them)");
        const document = opts.preset ? presetDocument(opts.preset) : readCatalogFile(file as string);
        const api = apiFor(command);
        const state = await serverState(api);
        const plan = planImport(document, state);
        const json = wantsJson(command);
        const say = (line: string) => {
          if (!json) process.stdout.write(`${line}\n`);
        };
        let revision = state.revision;
        const proposed: number[] = [];
        for (const change of plan.changes) {
          say(change.line);
          if (opts.dryRun) continue;
          const outcome = await change.apply(api, force(opts));
          if (isProposed(outcome)) {
            proposed.push(outcome.change_request.id);
            say(`  ${proposalSummary(outcome)}`);
          } else revision = outcome.revision;
        }
        for (const line of summaryLines(plan)) say(line);
        const applied = plan.changes.length - proposed.length;
        if (opts.dryRun) say(`dry run: nothing was changed (catalog revision ${revision})`);
        else if (plan.changes.length === 0) say(`nothing to change (catalog revision ${revision})`);
        else {
          say(`${applied} change(s) applied: catalog revision ${revision}`);
          if (proposed.length > 0) {
            say(`${proposed.length} change(s) wait for approval: change request(s) ${proposed.join(", ")}`);
            process.exitCode = EXIT_PROPOSED;
          }
        }
        if (json) {
          const result = {
            dry_run: Boolean(opts.dryRun),
            revision,
            changes: plan.changes.map((c) => c.line),
            change_requests: proposed,
            unchanged: plan.unchanged,
            not_in_file: plan.notInFile,
          };
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        }
      },
    );

  catalog.addCommand(catalogCheckCommand());
  catalog.addCommand(catalogRevisionsCommand());
  catalog.addCommand(catalogGridCommand());
  return catalog;
}
