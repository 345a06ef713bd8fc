/** @module API shapes of change requests (four-eyes approval of activations and promotions). */
import { z } from "zod";

export const changeRequestStatus = z.enum(["pending", "applied", "rejected", "stale", "expired"]);
export type ChangeRequestStatus = z.infer<typeof changeRequestStatus>;

export const changeRequestReview = z.object({
  reviewer: z.string(),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().nullable(),
  at: z.string(),
});

export const changeRequest = z.object({
  id: z.number().int(),
  kind: z.enum(["activation", "promotion"]),
  strategy_name: z.string(),
  environment: z.string(),
  from_environment: z.string().nullable(),
  config_id: z.string(),
  config_hash: z.string(),
  catalog_revision: z.number().int().nullable(),
  base_config_id: z.string().nullable().describe("the version active when proposed; another one active means stale"),
  diff: z.object({
    added: z.record(z.string(), z.unknown()),
    removed: z.record(z.string(), z.unknown()),
    changed: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
  }),
  reasons: z.array(z.string()).describe("why it needs approval"),
  approvals_required: z.number().int(),
  approvals: z.number().int(),
  author: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
  status: changeRequestStatus,
  closed_at: z.string().nullable(),
  closed_by: z.string().nullable(),
  break_glass_reason: z.string().nullable(),
  reviews: z.array(changeRequestReview),
});
export type ChangeRequest = z.infer<typeof changeRequest>;

export const changeRequestList = z.object({
  items: z.array(changeRequest),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_offset: z.number().int().nullable(),
});

export const changeRequestQuery = z.strictObject({
  status: changeRequestStatus.optional(),
  strategy: z.string().optional(),
  environment: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const changeRequestPathParams = z.object({ id: z.coerce.number().int().positive() });

export const reviewBody = z
  .strictObject({
    comment: z.string().max(2000).optional(),
    freeze_override_reason: z.string().min(1).max(2000).optional(),
  })
  .nullish();
export const rejectBody = z.strictObject({ comment: z.string().min(1, "give the reason for rejecting").max(2000) });
export const breakGlassBody = z.strictObject({
  reason: z.string().min(1, "break-glass needs a reason").max(2000),
  freeze_override_reason: z.string().min(1).max(2000).optional(),
});

/** What an activation, promotion or restore request does: applied at once, or a change request. */
export const activationOptions = z
  .strictObject({
    expected_active: z
      .string()
      .nullable()
      .optional()
      .describe("the config_id you expect to be active now (null: none); a mismatch is 412. Also If-Match"),
    freeze_override_reason: z.string().min(1).max(2000).optional().describe("admin only: act in a frozen environment"),
    comment: z.string().max(2000).optional(),
  })
  .nullish();

/** Rolling back: only a freeze override may be given (the target is the previous version). */
export const rollbackBody = z
  .strictObject({
    freeze_override_reason: z.string().min(1).max(2000).optional().describe("admin only: act in a frozen environment"),
  })
  .nullish();

export const promoteBody = z.strictObject({
  from: z.string(),
  to: z.string(),
  expected_active: z.string().nullable().optional(),
  freeze_override_reason: z.string().min(1).max(2000).optional(),
});

/** 202 answer of an activation, promotion or restore that needs approval. */
export const changeRequestAccepted = z.object({
  change_request: changeRequest,
  created: z.boolean().describe("false when an identical pending request already existed"),
});
