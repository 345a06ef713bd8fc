/** @module Human output of activations and change requests. */
import type { ActivationOutcome } from "@tradai/client";
import type { ChangeRequest } from "@tradai/core";
import { formatTable } from "./table.js";

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

/** One line for an activation that was applied, or the change request it became. */
export function activationSummary(strategy: string, configId: string, outcome: ActivationOutcome): string {
  if ("change_request" in outcome) {
    const cr = outcome.change_request;
    const verb = outcome.created ? "Proposed" : "Already proposed";
    return (
      `${verb}: change request ${cr.id} to make ${configId} of ${strategy} active in ${cr.environment} ` +
      `(${cr.reasons.join("; ")}); needs ${cr.approvals_required - cr.approvals} approval(s) from someone other than ${cr.author}`
    );
  }
  if (!outcome.changed) return `${configId} is already active in ${outcome.environment} (nothing changed)`;
  const previous = outcome.previous_config_id ? ` (supersedes ${outcome.previous_config_id})` : "";
  return `Activated ${configId} of ${strategy} in ${outcome.environment}${previous}`;
}

export function changeRequestTable(items: ChangeRequest[]): string {
  if (items.length === 0) return "No change requests.";
  return formatTable([
    ["ID", "STATUS", "KIND", "STRATEGY", "VERSION", "ENV", "APPROVALS", "AUTHOR", "CREATED"],
    ...items.map((cr) => [
      String(cr.id),
      cr.status,
      cr.kind === "promotion" ? `promotion from ${cr.from_environment}` : "activation",
      cr.strategy_name,
      cr.config_id,
      cr.environment,
      `${cr.approvals}/${cr.approvals_required}`,
      cr.author,
      when(cr.created_at),
    ]),
  ]);
}

const formatValue = (v: unknown) => JSON.stringify(v);

export function changeRequestDetails(cr: ChangeRequest): string {
  const lines = [
    `Change request ${cr.id}: ${cr.status}`,
    `  ${cr.kind}${cr.from_environment ? ` from ${cr.from_environment}` : ""} of ${cr.strategy_name} ${cr.config_id} into ${cr.environment}`,
    `  replaces:   ${cr.base_config_id ?? "(no active version)"}`,
    `  why:        ${cr.reasons.join("; ")}`,
    `  author:     ${cr.author} at ${when(cr.created_at)}`,
    `  approvals:  ${cr.approvals}/${cr.approvals_required}, expires ${when(cr.expires_at)}`,
  ];
  if (cr.closed_at) lines.push(`  closed:     ${when(cr.closed_at)} by ${cr.closed_by}`);
  if (cr.break_glass_reason) lines.push(`  BREAK-GLASS: ${cr.break_glass_reason}`);
  lines.push("  diff:");
  for (const [path, v] of Object.entries(cr.diff.added)) lines.push(`    + ${path} = ${formatValue(v)}`);
  for (const [path, v] of Object.entries(cr.diff.removed)) lines.push(`    - ${path} (was ${formatValue(v)})`);
  for (const [path, v] of Object.entries(cr.diff.changed))
    lines.push(`    ~ ${path}: ${formatValue(v.old)} -> ${formatValue(v.new)}`);
  for (const r of cr.reviews)
    lines.push(
      `  ${r.decision === "approve" ? "approved" : "rejected"} by ${r.reviewer} at ${when(r.at)}${r.comment ? `: ${r.comment}` : ""}`,
    );
  return lines.join("\n");
}

/** One line after approve, reject or break-glass: what the change request is now. */
export function reviewSummary(verb: string, cr: ChangeRequest): string {
  const what = `change request ${cr.id} (${cr.config_id} of ${cr.strategy_name} in ${cr.environment})`;
  switch (cr.status) {
    case "applied":
      return `${verb} ${what}: applied, ${cr.config_id} is now active in ${cr.environment}`;
    case "pending":
      return `${verb} ${what}: ${cr.approvals}/${cr.approvals_required} approvals, still pending`;
    default:
      return `${verb} ${what}: ${cr.status}`;
  }
}
