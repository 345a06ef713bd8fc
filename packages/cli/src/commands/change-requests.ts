/** @module `tradai change-request list|show|approve|reject|break-glass`: four-eyes approval. */
import { type ChangeRequestStatus, changeRequestStatus } from "@tradai/core";
import { type Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { CommandGroup } from "../help/command-group.js";
import { nonNegativeInteger, positiveInteger } from "../input/integers.js";
import { changeRequestDetails, changeRequestTable, reviewSummary } from "../output/change-requests.js";
import { UsageError } from "../usage-error.js";

const idArgument = ["<ID>", "change request id (a positive integer)", positiveInteger] as const;

export function changeRequestCommand(): Command {
  const cr = new CommandGroup("change-request", "the change requests activations became").alias("cr");

  cr.command("list")
    .description("change requests, newest first")
    .addOption(new Option("--status <status>", "only those with this status").choices(changeRequestStatus.options))
    .option("--strategy <STRATEGY>", "only this strategy's")
    .option("--env <environment>", "only those into this environment")
    .option("--limit <n>", "at most this many (up to 200)", positiveInteger, 50)
    .option("--offset <n>", "skip this many", nonNegativeInteger, 0)
    .action(async (opts, command: Command) => {
      const page = await apiFor(command).listChangeRequests({
        status: opts.status as ChangeRequestStatus | undefined,
        strategy: opts.strategy,
        environment: opts.env,
        limit: opts.limit,
        offset: opts.offset,
      });
      print(command, page, () => {
        const more = page.next_offset !== null ? `\n(more: --offset ${page.next_offset})` : "";
        return `${page.total} change request(s)\n${changeRequestTable(page.items)}${more}`;
      });
    });

  cr.command("show")
    .description("one change request: what it changes (the diff), why it needs approval, its reviews")
    .argument(...idArgument)
    .action(async (id: number, _opts, command: Command) => {
      const found = await apiFor(command).getChangeRequest(id);
      print(command, found, () => changeRequestDetails(found));
    });

  cr.command("approve")
    .description("approve (approver or admin, not its author); the last approval needed applies it")
    .argument(...idArgument)
    .option("--comment <text>", "a note kept with the review")
    .option("--freeze-override <reason>", "admin only: apply in a frozen environment, giving the reason")
    .action(async (id: number, opts, command: Command) => {
      const reviewed = await apiFor(command).approveChangeRequest(id, {
        comment: opts.comment,
        freezeOverrideReason: opts.freezeOverride,
      });
      print(command, reviewed, () => reviewSummary("Approved", reviewed));
    });

  cr.command("reject")
    .description("reject (approver or admin), saying why")
    .argument(...idArgument)
    .requiredOption("--comment <text>", "why it is rejected (required)")
    .action(async (id: number, opts, command: Command) => {
      if (!opts.comment.trim()) throw new UsageError("--comment must say why it is rejected");
      const reviewed = await apiFor(command).rejectChangeRequest(id, opts.comment);
      print(command, reviewed, () => reviewSummary("Rejected", reviewed));
    });

  cr.command("break-glass")
    .description("admin only: apply it now without the approvals, giving the reason (audited)")
    .argument(...idArgument)
    .requiredOption("--reason <text>", "why it cannot wait for approval (required)")
    .option("--freeze-override <reason>", "also act in a frozen environment, giving the reason")
    .action(async (id: number, opts, command: Command) => {
      const applied = await apiFor(command).breakGlass(id, opts.reason, opts.freezeOverride);
      print(command, applied, () => reviewSummary("Break-glass:", applied));
    });

  return cr;
}
