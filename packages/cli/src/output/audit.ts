/** @module Human output of the audit trail. */
import type { AnchorsCheck, AuditChainStatus, AuditEntry, AuditVerification } from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
const json = (value: unknown) => (value === null || value === undefined ? "-" : JSON.stringify(value, null, 2));

export function auditTable(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return "No audit entries.";
  return formatTable([
    ["SEQ", "AT", "ACTOR", "ACTION", "TARGET", "ENV"],
    ...entries.map((e) => [
      String(e.seq),
      when(e.at),
      e.actor,
      e.action,
      `${e.target_type} ${e.target_id}`,
      e.environment ?? "-",
    ]),
  ]);
}

export function auditDetails(e: AuditEntry): string {
  const fields = formatFields([
    ["seq", String(e.seq)],
    ["at", when(e.at)],
    ["actor", e.actor],
    ["action", e.action],
    ["target", `${e.target_type} ${e.target_id}`],
    ["environment", e.environment ?? "-"],
    ["request_id", e.request_id ?? "-"],
    ["client", e.client_address ?? "-"],
    ["prev_hash", e.prev_hash],
    ["hash", e.hash],
  ]);
  return [fields, `before:\n${json(e.before)}`, `after:\n${json(e.after)}`, `details:\n${json(e.details)}`].join("\n");
}

export function verificationSummary(v: AuditVerification): string {
  if (v.ok) return `audit chain intact: ${v.entries_checked} entries, head seq ${v.head_seq}`;
  const broken = v.first_broken ? `at seq ${v.first_broken.seq}: ${v.first_broken.problem}` : "(no detail)";
  return `audit chain BROKEN ${broken} (${v.entries_checked} entries checked, head seq ${v.head_seq})`;
}

export function anchorsSummary(check: AnchorsCheck): string {
  if (check.ok) return `anchors: all ${check.checked} held by the chain`;
  const lines = check.broken.slice(0, 20).map((b) => `  seq ${b.seq}: ${b.problem}`);
  const more = check.broken.length > 20 ? [`  ... and ${check.broken.length - 20} more`] : [];
  return [`anchors: ${check.broken.length} of ${check.checked} NOT held by the chain:`, ...lines, ...more].join("\n");
}

export function chainStatusSummary(s: AuditChainStatus): string {
  const head = s.ok
    ? `audit chain intact as far as this server checked: up to entry ${s.head_seq}`
    : `audit chain BROKEN at seq ${s.first_broken?.seq}: ${s.first_broken?.problem}`;
  return [
    head,
    `last full check: ${s.last_full_check_at ?? "not yet"}; last check: ${s.last_check_at ?? "not yet"}`,
    s.anchor
      ? `last anchor: entry ${s.anchor.seq} at ${s.anchor.anchored_at} to ${s.anchor.sink}`
      : "anchors: none written (TRADAI_AUDIT_ANCHOR_SINK not set, or nothing to anchor yet)",
  ].join("\n");
}
