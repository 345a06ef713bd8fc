/** @module API shapes of the audit trail. */
import { z } from "zod";

export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string().describe("e.g. config.create, config.activate, change_request.approve"),
  target_type: z.string(),
  target_id: z.string(),
  environment: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.unknown().nullable(),
  request_id: z.string().nullable(),
  client_address: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z" });

export const auditQuery = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  target_type: z.string().max(100).optional(),
  target_id: z.string().max(300).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditList = z.object({
  items: z.array(auditEntry),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_offset: z.number().int().nullable(),
});
export type AuditList = z.infer<typeof auditList>;

export const auditVerification = z.object({
  ok: z.boolean(),
  entries_checked: z.number().int(),
  head_seq: z.number().int(),
  first_broken: z
    .object({ seq: z.number().int(), problem: z.string() })
    .nullable()
    .describe("the first entry whose hash or link does not hold"),
});
export type AuditVerification = z.infer<typeof auditVerification>;

/** What the server's tamper alarm knows about the chain: its last checks, and any break found. */
export const auditChainStatus = z.object({
  ok: z.boolean().describe("false once any check found a broken chain (until a full check passes again)"),
  head_seq: z.number().int().describe("the last entry checked"),
  last_full_check_at: z
    .string()
    .nullable()
    .describe("the last check of the whole chain (at start, then every TRADAI_AUDIT_VERIFY_INTERVAL)"),
  last_check_at: z.string().nullable().describe("the last check of any kind (new entries are checked as they come)"),
  first_broken: z.object({ seq: z.number().int(), problem: z.string() }).nullable(),
  anchor: z
    .object({ seq: z.number().int(), hash: z.string(), anchored_at: z.string(), sink: z.string() })
    .nullable()
    .describe("the last chain head written outside the database (TRADAI_AUDIT_ANCHOR_SINK)"),
});
export type AuditChainStatus = z.infer<typeof auditChainStatus>;

/** A chain head kept outside the database: one JSON line of an anchors file. */
export const auditAnchor = z.object({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lowercase hex"),
  at: z.string().optional().describe("when that entry was written"),
  anchored_at: z.string().optional(),
});
export type AuditAnchor = z.infer<typeof auditAnchor>;

export const anchorsCheckBody = z.strictObject({
  anchors: z
    .array(auditAnchor.pick({ seq: true, hash: true }))
    .min(1)
    .max(100_000),
});
export const anchorsCheck = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  broken: z
    .array(
      z.object({
        seq: z.number().int(),
        anchored_hash: z.string(),
        chain_hash: z.string().nullable(),
        problem: z.string(),
      }),
    )
    .describe("anchors the chain no longer holds: the entry is missing, or has another hash (rewritten)"),
});
export type AnchorsCheck = z.infer<typeof anchorsCheck>;

export const restoreBody = z
  .strictObject({
    environment: z.string().optional(),
    expected_active: z.string().nullable().optional(),
    freeze_override_reason: z.string().min(1).max(2000).optional().describe("admin only: act in a frozen environment"),
  })
  .nullish();
