/**
 * @module Verifying the audit chain: every entry's hash is recomputed from its fields, every link
 * checked against the previous entry, and the head against the last entry. Reports the first
 * entry that does not hold.
 */
import { AUDIT_GENESIS_HASH, type AuditVerification, auditEntryHash, type JsonValue } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { auditStore } from "./store.js";

const PAGE = 1000;

export async function verifyAuditChain(db: Queryable): Promise<AuditVerification> {
  const store = auditStore(db);
  const head = await store.head();
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, problem: string): AuditVerification => ({
    ok: false,
    entries_checked: checked,
    head_seq: head.seq,
    first_broken: { seq, problem },
  });
  for (;;) {
    const entries = await store.page(expectedSeq - 1, PAGE);
    for (const entry of entries) {
      if (entry.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
      if (entry.prev_hash !== prevHash) {
        return broken(entry.seq, "its prev_hash is not the hash of the entry before it");
      }
      const recomputed = auditEntryHash({
        ...entry,
        before: entry.before as JsonValue | null,
        after: entry.after as JsonValue | null,
        details: entry.details as JsonValue | null,
      });
      if (recomputed !== entry.hash) return broken(entry.seq, "its content does not match its hash (altered)");
      prevHash = entry.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (entries.length < PAGE) break;
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return broken(expectedSeq, `the chain head (seq ${head.seq}) does not match the last entry (${expectedSeq - 1})`);
  }
  return { ok: true, entries_checked: checked, head_seq: head.seq, first_broken: null };
}
