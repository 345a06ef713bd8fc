/** @module `tradai audit list|show|verify|status|restore`: the hash-chained audit trail and its tamper alarm. */
import type { Command } from "commander";
import { apiFor, print } from "../context.js";
import { printGoverned } from "../governed/settle-proposal.js";
import { CommandGroup } from "../help/command-group.js";
import { nonNegativeInteger, positiveInteger } from "../input/integers.js";
import { readAnchors } from "../input/read-anchors.js";
import { anchorsSummary, auditDetails, auditTable, chainStatusSummary, verificationSummary } from "../output/audit.js";
import { activationSummary } from "../output/change-requests.js";

const seqArgument = ["<SEQ>", "audit entry number (a positive integer)", positiveInteger] as const;

export function auditCommand(): Command {
  const audit = new CommandGroup("audit", "the hash-chained audit trail and its tamper alarm");

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
    .description(
      "recompute the hash chain on the server; with --anchors, also prove it still holds every chain head kept outside the database; exit 1 and name what does not hold",
    )
    .option(
      "--anchors <PATH>",
      "anchors written by TRADAI_AUDIT_ANCHOR_SINK: the file sink's JSON lines, or a directory of the S3 sink's audit-anchor-*.json objects",
    )
    .action(async (opts: { anchors?: string }, command: Command) => {
      const anchors = opts.anchors === undefined ? undefined : readAnchors(opts.anchors);
      const api = apiFor(command);
      const verification = await api.verifyAudit();
      const anchored = anchors && (await api.checkAuditAnchors(anchors.map(({ seq, hash }) => ({ seq, hash }))));
      print(command, anchored ? { ...verification, anchors: anchored } : verification, () =>
        [verificationSummary(verification), ...(anchored ? [anchorsSummary(anchored)] : [])].join("\n"),
      );
      if (!verification.ok || (anchored && !anchored.ok)) process.exitCode = 1;
    });

  audit
    .command("status")
    .description("the server's tamper alarm: its last checks of the chain, any break found, the last anchor written")
    .action(async (_opts, command: Command) => {
      const status = await apiFor(command).auditStatus();
      print(command, status, () => chainStatusSummary(status));
      if (!status.ok) process.exitCode = 1;
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
      await printGoverned(command, outcome, () => activationSummary(strategy, configId, outcome));
    });

  return audit;
}
