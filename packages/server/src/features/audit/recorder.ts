/**
 * @module Appending to the audit trail. Called by every service inside the transaction of the
 * change it records, as its last step: the chain head's row lock then orders all writers, and a
 * change that rolls back takes its entry with it.
 */
import { auditEntryHash, type JsonValue } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import type { Actor } from "../auth/actor.js";

export interface AuditRecord {
  /** `<target type>.<verb>`, e.g. config.activate */
  action: string;
  target_type: string;
  target_id: string;
  environment?: string | null;
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping: reasons, overrides, the change request carried out. */
  details?: unknown;
}

/** Plain JSON (no undefined, Dates as ISO strings), so what is hashed is what is stored. */
const asJson = (value: unknown): JsonValue | null =>
  value === undefined || value === null ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);

export async function recordAudit(tx: Queryable, actor: Actor, record: AuditRecord): Promise<number> {
  const head = (
    await tx.query<{ seq: string | number; hash: string }>("SELECT seq, hash FROM audit_chain_head FOR UPDATE")
  ).rows[0];
  if (!head) throw new Error("the audit chain head is missing");
  const fields = {
    seq: Number(head.seq) + 1,
    at: new Date().toISOString(),
    actor: actor.name,
    action: record.action,
    target_type: record.target_type,
    target_id: record.target_id,
    environment: record.environment ?? null,
    before: asJson(record.before),
    after: asJson(record.after),
    details: asJson(record.details),
    request_id: actor.requestId,
    client_address: actor.clientAddress,
    prev_hash: head.hash,
  };
  const hash = auditEntryHash(fields);
  await tx.query(
    `INSERT INTO audit_entries (seq, at, actor, action, target_type, target_id, environment, before, after, details,
       request_id, client_address, prev_hash, hash)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13, $14)`,
    [
      fields.seq,
      fields.at,
      fields.actor,
      fields.action,
      fields.target_type,
      fields.target_id,
      fields.environment,
      fields.before === null ? null : JSON.stringify(fields.before),
      fields.after === null ? null : JSON.stringify(fields.after),
      fields.details === null ? null : JSON.stringify(fields.details),
      fields.request_id,
      fields.client_address,
      fields.prev_hash,
      hash,
    ],
  );
  return fields.seq;
}

export type RecordAudit = typeof recordAudit;
