/** @module API shapes of environments: policy and freeze windows. */
import { z } from "zod";

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z" });

export const freezeWindow = z.object({
  id: z.number().int(),
  environment: z.string(),
  reason: z.string(),
  kind: z.enum(["one-off", "recurring"]),
  starts_at: z.string().nullable(),
  ends_at: z.string().nullable(),
  cron: z.string().nullable(),
  duration_seconds: z.number().int().nullable(),
  time_zone: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  active_now: z.boolean(),
  /** When it is active now, when it ends. */
  active_until: z.string().nullable(),
});
export type FreezeWindow = z.infer<typeof freezeWindow>;

export const createFreezeBody = z.union([
  z.strictObject({ reason: z.string().min(1).max(500), starts_at: isoTime, ends_at: isoTime }),
  z.strictObject({
    reason: z.string().min(1).max(500),
    cron: z.string().min(1).max(200).describe("five-field cron expression of each window's start, e.g. '0 16 * * 5'"),
    duration_seconds: z
      .number()
      .int()
      .min(60)
      .max(31 * 86400),
    time_zone: z.string().min(1).max(64).default("UTC"),
  }),
]);
export type CreateFreezeBody = z.infer<typeof createFreezeBody>;
/** What a client sends (time_zone may be left out: UTC). */
export type CreateFreezeInput = z.input<typeof createFreezeBody>;

export const environmentPolicy = z.strictObject({
  requires_approval: z.boolean(),
  approvals_required: z.number().int().min(1).max(10),
  promote_from: z.string().nullable().describe("the environment versions are promoted from; null: none"),
  break_glass_allowed: z.boolean().describe("whether an admin may apply a pending change request without approval"),
});
export type EnvironmentPolicy = z.infer<typeof environmentPolicy>;

export const environmentView = environmentPolicy.extend({
  name: z.string(),
  is_default: z.boolean(),
  updated_by: z.string().nullable(),
  updated_at: z.string().nullable(),
  freeze_windows: z.array(freezeWindow),
  frozen: z.boolean(),
});
export type EnvironmentView = z.infer<typeof environmentView>;

export const environmentList = z.object({ items: z.array(environmentView) });

export const updatePolicyBody = environmentPolicy
  .partial()
  .extend({ expected_updated_at: z.string().nullable().optional() });
