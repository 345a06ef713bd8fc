/** @module Human output of governed changes (applied, or proposed as a change request) and of change requests. */
import type { ActivationOutcome, ChangeRequestAccepted } from "@tradai/client";
import type { ChangeRequest } from "@tradai/core";
import { formatTable } from "./table.js";

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

/** Who proposed it: `alice`, or `token:ci (for alice)`. */
const proposer = (cr: ChangeRequest) =>
  cr.author_person && cr.author_person !== cr.author ? `${cr.author} (for ${cr.author_person})` : cr.author;

/** One line for a change that became a change request instead of being applied. */
export function proposalSummary(outcome: ChangeRequestAccepted): string {
  const cr = outcome.change_request;
  const verb = outcome.created ? "Proposed" : "Already proposed";
  return (
    `${verb}: change request ${cr.id} to ${cr.summary} (${cr.reasons.join("; ")}); ` +
    `needs ${cr.approvals_required - cr.approvals} approval(s) from someone other than ${proposer(cr)}`
  );
}

/** One line for an activation that was applied, or the change request it became. */
export function activationSummary(strategy: string, configId: string, outcome: ActivationOutcome): string {
  if ("change_request" in outcome) return proposalSummary(outcome);
  if (!outcome.changed) return `${configId} is already active in ${outcome.environment} (nothing changed)`;
  const previous = outcome.previous_config_id ? ` (supersedes ${outcome.previous_config_id})` : "";
  return `Activated ${configId} of ${strategy} in ${outcome.environment}${previous}`;
}

const kindOf = (cr: ChangeRequest) =>
  cr.kind === "promotion" ? `promotion from ${cr.from_environment}` : cr.kind.replace("_", " ");

export function changeRequestTable(items: ChangeRequest[]): string {
  if (items.length === 0) return "No change requests.";
  return formatTable([
    ["ID", "STATUS", "KIND", "STRATEGY", "VERSION", "ENV", "APPROVALS", "AUTHOR", "CREATED"],
    ...items.map((cr) => [
      String(cr.id),
      cr.status,
      kindOf(cr),
      cr.strategy_name ?? "-",
      cr.config_id ?? "-",
      cr.environment ?? cr.environments.join(","),
      `${cr.approvals}/${cr.approvals_required}`,
      proposer(cr),
      when(cr.created_at),
    ]),
  ]);
}

const formatValue = (v: unknown) => JSON.stringify(v);

function diffLines(diff: ChangeRequest["diff"], indent: string): string[] {
  const lines: string[] = [];
  for (const [path, v] of Object.entries(diff.added)) lines.push(`${indent}+ ${path} = ${formatValue(v)}`);
  for (const [path, v] of Object.entries(diff.removed)) lines.push(`${indent}- ${path} (was ${formatValue(v)})`);
  for (const [path, v] of Object.entries(diff.changed))
    lines.push(`${indent}~ ${path}: ${formatValue(v.old)} -> ${formatValue(v.new)}`);
  return lines;
}

export function changeRequestDetails(cr: ChangeRequest): string {
  const lines = [`Change request ${cr.id}: ${cr.status}`, `  ${cr.summary}`];
  if (cr.kind === "activation" || cr.kind === "promotion")
    lines.push(`  replaces:   ${cr.base_config_id ?? "(no active version)"}`);
  lines.push(
    `  why:        ${cr.reasons.join("; ")}`,
    `  author:     ${proposer(cr)} at ${when(cr.created_at)}`,
    `  approvals:  ${cr.approvals}/${cr.approvals_required} (distinct people), expires ${when(cr.expires_at)}`,
  );
  if (cr.closed_at) lines.push(`  closed:     ${when(cr.closed_at)} by ${cr.closed_by}`);
  if (cr.break_glass_reason) lines.push(`  BREAK-GLASS: ${cr.break_glass_reason}`);
  lines.push("  diff:", ...diffLines(cr.diff, "    "));
  for (const r of cr.effect?.resolved ?? []) {
    const from = r.before?.config_id ?? "nothing";
    const to = r.after?.config_id ?? "nothing";
    lines.push(`  resolves in ${r.environment}, ${r.strategy}: ${from} -> ${to}`, ...diffLines(r.diff, "    "));
  }
  for (const w of cr.effect?.weakenings ?? []) lines.push(`  weakens: ${w.subject} ${w.what}`);
  for (const r of cr.reviews) {
    const who =
      r.reviewer_person && r.reviewer_person !== r.reviewer ? `${r.reviewer} (for ${r.reviewer_person})` : r.reviewer;
    lines.push(
      `  ${r.decision === "approve" ? "approved" : "rejected"} by ${who} at ${when(r.at)}${r.comment ? `: ${r.comment}` : ""}`,
    );
  }
  return lines.join("\n");
}

/** One line after approve, reject or break-glass: what the change request is now. */
export function reviewSummary(verb: string, cr: ChangeRequest): string {
  const subject =
    cr.config_id && cr.strategy_name ? `${cr.config_id} of ${cr.strategy_name} in ${cr.environment}` : cr.summary;
  const what = `change request ${cr.id} (${subject})`;
  switch (cr.status) {
    case "applied":
      return cr.config_id && cr.environment
        ? `${verb} ${what}: applied, ${cr.config_id} is now active in ${cr.environment}`
        : `${verb} ${what}: applied`;
    case "pending":
      return `${verb} ${what}: ${cr.approvals}/${cr.approvals_required} approvals, still pending`;
    default:
      return `${verb} ${what}: ${cr.status}`;
  }
}
