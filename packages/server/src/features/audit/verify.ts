/**
 * @module Verifying the audit chain: every entry's hash is recomputed from its fields, every link
 * checked against the previous entry, and the head against the last entry. Reports the first
 * entry that does not hold. From the start, or (the tamper alarm's check of new entries) from an
 * entry already verified. The head is read first and entries are checked up to it: an entry committed
 * meanwhile (its head update comes with it) is past that head and waits for the next check, rather
 * than looking like a chain that outran its head.
 */
import { AUDIT_GENESIS_HASH, type AuditVerification, auditEntryHash, type JsonValue } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { auditStore } from "./store.js";

const PAGE = 1000;

/** An entry known good: its seq and hash. */
export interface ChainPoint {
  seq: number;
  hash: string;
}

export const GENESIS: ChainPoint = { seq: 0, hash: AUDIT_GENESIS_HASH };

/** The verification, and the last entry that held (where the next check may start). */
export async function verifyChainFrom(
  db: Queryable,
  from: ChainPoint = GENESIS,
): Promise<AuditVerification & { last: ChainPoint }> {
  const store = auditStore(db);
  const head = await store.head();
  let expectedSeq = from.seq + 1;
  let prevHash = from.hash;
  let checked = 0;
  const broken = (seq: number, problem: string) => ({
    ok: false,
    entries_checked: checked,
    head_seq: head.seq,
    first_broken: { seq, problem },
    last: { seq: expectedSeq - 1, hash: prevHash },
  });
  for (;;) {
    const page = await store.page(expectedSeq - 1, PAGE);
    const entries = page.filter((entry) => entry.seq <= head.seq);
    for (const entry of entries) {
      if (entry.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
      if (entry.prev_hash !== prevHash) {
        return broken(
          entry.seq,
          entry.seq - 1 === from.seq && from.seq > 0
            ? `its prev_hash is not the hash entry ${from.seq} had when it was verified (rewritten since)`
            : "its prev_hash is not the hash of the entry before it",
        );
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
    if (entries.length < page.length || page.length < PAGE) break;
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return broken(expectedSeq, `the chain head (seq ${head.seq}) does not match the last entry (${expectedSeq - 1})`);
  }
  return {
    ok: true,
    entries_checked: checked,
    head_seq: head.seq,
    first_broken: null,
    last: { seq: expectedSeq - 1, hash: prevHash },
  };
}

/** The whole chain, from its first entry. */
export async function verifyAuditChain(db: Queryable): Promise<AuditVerification> {
  const { last: _, ...verification } = await verifyChainFrom(db);
  return verification;
}

/** Whether the chain still holds each anchored head: the entry exists with that hash. */
export async function checkAnchors(db: Queryable, anchors: readonly ChainPoint[]) {
  const seqs = [...new Set(anchors.map((a) => a.seq))];
  const { rows } = await db.query<{ seq: string | number; hash: string }>(
    "SELECT seq, hash FROM audit_entries WHERE seq = ANY($1::bigint[])",
    [seqs],
  );
  const hashes = new Map(rows.map((r) => [Number(r.seq), r.hash]));
  const broken = anchors.flatMap((a) => {
    const found = hashes.get(a.seq);
    if (found === a.hash) return [];
    return [
      {
        seq: a.seq,
        anchored_hash: a.hash,
        chain_hash: found ?? null,
        problem:
          found === undefined
            ? `entry ${a.seq} is missing from the chain`
            : `entry ${a.seq} has another hash than when it was anchored (rewritten)`,
      },
    ];
  });
  return { ok: broken.length === 0, checked: anchors.length, broken };
}
