/** @module `tradai audit list|show|verify|restore`: the hash-chained audit trail. */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { nonNegativeInteger, positiveInteger } from "../input/integers.js";
import { auditDetails, auditTable, verificationSummary } from "../output/audit.js";
import { activationSummary } from "../output/change-requests.js";

const seqArgument = ["<SEQ>", "audit entry number (a positive integer)", positiveInteger] as const;

export function auditCommand(): Command {
  const audit = new Command("audit").description("list, show and verify the audit trail; restore a version from it");

  audit
    .command("list")
    .description("audit entries, newest first")
    .option("--actor <name>", "only this actor's (user or token name)")
    .option("--action <action>", "only this action, e.g. config.create, config.activate, change_request.approve")
    .option("--target-type <type>", "only this kind of target, e.g. config_version, change_request, user")
    .option("--target-id <id>", "only this target, e.g. StochRsiStrategy/v2-1a2b3c4d")
    .option("--since <time>", "at or after this ISO 8601 time, e.g. 2026-11-23T10:00:00Z")
    .option("--until <time>", "before this ISO 8601 time")
    .option("--limit <n>", "at most this many (up to 500)", positiveInteger, 50)
    .option("--offset <n>", "skip this many", nonNegativeInteger, 0)
    .action(async (opts, command: Command) => {
      const page = await apiFor(command).listAudit({
        actor: opts.actor,
        action: opts.action,
        target_type: opts.targetType,
        target_id: opts.targetId,
        since: opts.since,
        until: opts.until,
        limit: opts.limit,
        offset: opts.offset,
      });
      print(command, page, () => {
        const more = page.next_offset !== null ? `\n(more: --offset ${page.next_offset})` : "";
        return `${page.total} audit entr${page.total === 1 ? "y" : "ies"}\n${auditTable(page.items)}${more}`;
      });
    });

  audit
    .command("show")
    .description("one audit entry: before, after, details and its hashes")
    .argument(...seqArgument)
    .action(async (seq: number, _opts, command: Command) => {
      const entry = await apiFor(command).getAuditEntry(seq);
      print(command, entry, () => auditDetails(entry));
    });

  audit
    .command("verify")
    .description("recompute the hash chain on the server; exit 1 and name the first broken entry if it does not hold")
    .action(async (_opts, command: Command) => {
      const verification = await apiFor(command).verifyAudit();
      print(command, verification, () => verificationSummary(verification));
      if (!verification.ok) process.exitCode = 1;
    });

  audit
    .command("restore")
    .description(
      "make the content a config.create entry recorded active again (as a change request where approval is needed)",
    )
    .argument(...seqArgument)
    .option("--env <environment>", "environment (default: the server's default environment)")
    .option("--expect <CONFIG_ID>", "refuse (412) unless this version is active now ('none': no version)")
    .action(async (seq: number, opts, command: Command) => {
      const outcome = await apiFor(command).restoreFromAudit(seq, {
        environment: opts.env,
        expectedActive: opts.expect === undefined ? undefined : opts.expect === "none" ? null : opts.expect,
      });
      const [strategy, configId] =
        "change_request" in outcome
          ? [outcome.change_request.strategy_name ?? "", outcome.change_request.config_id ?? ""]
          : [outcome.strategy_name, outcome.config_id];
      print(command, outcome, () => activationSummary(strategy, configId, outcome));
    });

  return audit;
}
