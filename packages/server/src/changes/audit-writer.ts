/**
 * @module Appending to the audit trail. Only the change kernel calls it, inside the transaction of
 * the change it records, after the change's events: the chain head's row lock then orders all
 * writers, and a change that rolls back takes its entry with it.
 */
import { type AuditAction, auditEntryHash, type JsonValue } from "@tradai/core";
import type { Queryable } from "../db/database.js";
import type { Actor } from "./actor.js";

/** Told (at commit) of each new entry's seq: every replica's tamper alarm checks it. */
export const AUDIT_CHANNEL = "tradai_audit_entries";

export interface AuditEntryInput {
  action: AuditAction;
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

export async function appendAudit(tx: Queryable, actor: Actor, entry: AuditEntryInput): Promise<number> {
  const head = (
    await tx.query<{ seq: string | number; hash: string }>("SELECT seq, hash FROM audit_chain_head FOR UPDATE")
  ).rows[0];
  if (!head) throw new Error("the audit chain head is missing");
  const fields = {
    seq: Number(head.seq) + 1,
    at: new Date().toISOString(),
    actor: actor.name,
    action: entry.action,
    target_type: entry.target_type,
    target_id: entry.target_id,
    environment: entry.environment ?? null,
    before: asJson(entry.before),
    after: asJson(entry.after),
    details: asJson(entry.details),
    request_id: actor.requestId,
    client_address: actor.clientAddress,
    prev_hash: head.hash,
  };
  const hash = auditEntryHash(fields);
  const json = (v: JsonValue | null) => (v === null ? null : JSON.stringify(v));
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
      json(fields.before),
      json(fields.after),
      json(fields.details),
      fields.request_id,
      fields.client_address,
      fields.prev_hash,
      hash,
    ],
  );
  await tx.query("SELECT pg_notify($1, $2)", [AUDIT_CHANNEL, String(fields.seq)]);
  return fields.seq;
}
