/**
 * @module `tradai env list|show`, `tradai env policy set`, `tradai env freeze add|remove|list`:
 * environments' policy and freeze windows; and `tradai env base show|set`: their base values (versioned).
 */
import { isProposed } from "@tradai/client";
import type { CreateFreezeInput, EnvironmentPolicy } from "@tradai/core";
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { printGoverned } from "../governed/settle-proposal.js";
import { CommandGroup } from "../help/command-group.js";
import { approvalsCount, booleanWord, durationSeconds, isoTime } from "../input/environment-options.js";
import { positiveInteger } from "../input/integers.js";
import { readConfigData } from "../input/read-config-data.js";
import { proposalSummary } from "../output/change-requests.js";
import {
  environmentDetails,
  environmentTable,
  freezeAdded,
  freezeList,
  freezeRemoved,
} from "../output/environments.js";
import { UsageError } from "../usage-error.js";

const envArgument = ["<ENV>", "environment name, e.g. prod"] as const;

export function envCommand(): Command {
  const env = new CommandGroup("env", "environments");

  env
    .command("list")
    .description("every environment: approval policy, promotion source, break-glass, whether it is frozen")
    .action(async (_opts, command: Command) => {
      const list = await apiFor(command).listEnvironments();
      print(command, list, () => environmentTable(list.items));
    });

  env
    .command("show")
    .description("one environment: its policy and its freeze windows")
    .argument(...envArgument)
    .action(async (name: string, _opts, command: Command) => {
      const found = await apiFor(command).getEnvironment(name);
      print(command, found, () => environmentDetails(found));
    });

  env.addCommand(policyCommand());
  env.addCommand(freezeCommand());
  env.addCommand(baseCommand());
  return env;
}

function policyCommand(): Command {
  const policy = new Command("policy").description("admin: change an environment's policy");
  policy
    .command("set")
    .description("change the options given; the others keep their value")
    .argument(...envArgument)
    .option("--requires-approval <true|false>", "whether activations there become change requests", booleanWord)
    .option("--approvals <n>", "how many approvals a change request there needs (1 to 10)", approvalsCount)
    .option("--promote-from <ENV|none>", "the environment versions are promoted from ('none': no promotion source)")
    .option(
      "--break-glass <true|false>",
      "whether an admin may apply a pending change request without approval",
      booleanWord,
    )
    .action(async (name: string, opts, command: Command) => {
      const patch: Partial<EnvironmentPolicy> = {};
      if (opts.requiresApproval !== undefined) patch.requires_approval = opts.requiresApproval;
      if (opts.approvals !== undefined) patch.approvals_required = opts.approvals;
      if (opts.promoteFrom !== undefined) {
        const source = String(opts.promoteFrom).trim();
        if (!source) throw new UsageError("--promote-from needs an environment name, or 'none'");
        patch.promote_from = source === "none" ? null : source;
      }
      if (opts.breakGlass !== undefined) patch.break_glass_allowed = opts.breakGlass;
      if (Object.keys(patch).length === 0) {
        throw new UsageError("give at least one of --requires-approval, --approvals, --promote-from, --break-glass");
      }
      const updated = await apiFor(command).updateEnvironmentPolicy(name, patch);
      await printGoverned(command, updated, () =>
        isProposed(updated)
          ? proposalSummary(updated)
          : `Policy of ${updated.name} updated\n${environmentDetails(updated)}`,
      );
    });
  return policy;
}

/** The body of a new freeze window from exactly one of the two forms of options. */
function freezeBody(opts: {
  reason: string;
  from?: string;
  until?: string;
  cron?: string;
  duration?: number;
  tz?: string;
}): CreateFreezeInput {
  const reason = opts.reason.trim();
  if (!reason) throw new UsageError("--reason must say why the environment is frozen");
  const oneOff = opts.from !== undefined || opts.until !== undefined;
  const recurring = opts.cron !== undefined || opts.duration !== undefined || opts.tz !== undefined;
  const forms = "either --from and --until (one-off) or --cron and --duration [--tz] (recurring)";
  if (oneOff && recurring) throw new UsageError(`give ${forms}, not both`);
  if (oneOff) {
    if (opts.from === undefined || opts.until === undefined) {
      throw new UsageError("a one-off freeze window needs both --from and --until");
    }
    if (Date.parse(opts.until) <= Date.parse(opts.from)) throw new UsageError("--until must be after --from");
    return { reason, starts_at: opts.from, ends_at: opts.until };
  }
  if (recurring) {
    if (opts.cron === undefined || opts.duration === undefined) {
      throw new UsageError("a recurring freeze window needs both --cron and --duration");
    }
    return {
      reason,
      cron: opts.cron,
      duration_seconds: opts.duration,
      ...(opts.tz !== undefined ? { time_zone: opts.tz } : {}),
    };
  }
  throw new UsageError(`give ${forms}`);
}

function freezeCommand(): Command {
  const freeze = new Command("freeze").description(
    "freeze windows: while one is active, activations, promotions and approvals there are refused (423)",
  );

  freeze
    .command("add")
    .description("admin: add a one-off or a recurring freeze window; prints its id and whether it is active now")
    .argument(...envArgument)
    .requiredOption("--reason <text>", "why (required)")
    .option("--from <time>", "one-off: start, ISO 8601 with offset, e.g. 2026-11-23T10:00:00Z", isoTime)
    .option("--until <time>", "one-off: end (exclusive), ISO 8601 with offset", isoTime)
    .option("--cron <expr>", 'recurring: five-field cron of each start, e.g. "0 16 * * 5" (Fridays 16:00)')
    .option("--duration <time>", 'recurring: how long each lasts: seconds, or e.g. "90m", "2h", "1d"', durationSeconds)
    .option("--tz <zone>", "recurring: IANA time zone of --cron, e.g. Europe/London (default UTC)")
    .action(async (name: string, opts, command: Command) => {
      const added = await apiFor(command).addFreezeWindow(name, freezeBody(opts));
      print(command, added, () => freezeAdded(added));
    });

  freeze
    .command("remove")
    .description("admin: remove a freeze window (the audit trail keeps it)")
    .argument(...envArgument)
    .argument("<ID>", "freeze window id (a positive integer)", positiveInteger)
    .action(async (name: string, id: number, _opts, command: Command) => {
      const removed = await apiFor(command).removeFreezeWindow(name, id);
      print(command, removed, () => freezeRemoved(removed));
    });

  freeze
    .command("list")
    .description("an environment's freeze windows and whether each is active now")
    .argument(...envArgument)
    .action(async (name: string, _opts, command: Command) => {
      const found = await apiFor(command).getEnvironment(name);
      const list = { environment: found.name, frozen: found.frozen, items: found.freeze_windows };
      print(command, list, () => freezeList(found));
    });

  return freeze;
}

function baseCommand(): Command {
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
    .description("replace the base values (a new revision; a change request where four eyes are needed)")
    .option("--data <json>", "the values as a JSON object")
    .option("--file <path>", "the values from a .json or .yaml file")
    .option("--freeze-override <reason>", "admin only: act in a frozen environment, giving the reason")
    .action(async (environment: string, opts, command: Command) => {
      const values = JSON.parse(readConfigData(opts)) as Record<string, unknown>;
      const saved = await apiFor(command).putEnvironmentBase(environment, values, {
        freezeOverrideReason: opts.freezeOverride,
      });
      await printGoverned(command, saved, () =>
        isProposed(saved)
          ? proposalSummary(saved)
          : `${saved.environment} base values saved as revision ${saved.revision}`,
      );
    });
  return base;
}
