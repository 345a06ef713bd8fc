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

export const restoreBody = z
  .strictObject({
    environment: z.string().optional(),
    expected_active: z.string().nullable().optional(),
    freeze_override_reason: z.string().min(1).max(2000).optional().describe("admin only: act in a frozen environment"),
  })
  .nullish();
