/**
 * @module The audit chain's hash. Each entry's hash is the SHA-256 of the canonical JSON of its
 * fields (all but `hash`), which include the previous entry's hash; anyone can recompute it.
 */
import { contentHash } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";

/** The hash before the first entry. */
export const AUDIT_GENESIS_HASH = "0".repeat(64);

export interface AuditEntryFields {
  seq: number;
  /** ISO 8601, UTC, millisecond precision: 2026-11-23T10:00:00.000Z */
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  environment: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  details: JsonValue | null;
  request_id: string | null;
  client_address: string | null;
  prev_hash: string;
}

export function auditEntryHash(entry: AuditEntryFields): string {
  const fields: AuditEntryFields = {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target_type: entry.target_type,
    target_id: entry.target_id,
    environment: entry.environment,
    before: entry.before,
    after: entry.after,
    details: entry.details,
    request_id: entry.request_id,
    client_address: entry.client_address,
    prev_hash: entry.prev_hash,
  };
  return contentHash(fields as unknown as JsonValue);
}
