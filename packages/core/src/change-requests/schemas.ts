/**
 * @module API shapes of change requests: any governed change that needs four eyes (an activation
 * or promotion, base values, an environment policy, a catalog change), bound to the hash of its
 * effect, approved by people other than its author.
 */
import { z } from "zod";

export const changeRequestStatus = z.enum(["pending", "applied", "rejected", "stale", "expired"]);
export type ChangeRequestStatus = z.infer<typeof changeRequestStatus>;

export const CHANGE_REQUEST_KINDS = [
  "activation",
  "promotion",
  "environment_base",
  "environment_policy",
  "catalog",
  "import",
  "rollout",
] as const;
export type ChangeRequestKind = (typeof CHANGE_REQUEST_KINDS)[number];

const valuesDiff = z.object({
  added: z.record(z.string(), z.unknown()),
  removed: z.record(z.string(), z.unknown()),
  changed: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
});

const resolvedSide = z.object({ config_id: z.string(), resolved_hash: z.string() }).nullable();

/** What a change does: each resolved config it alters (before, after, the values diff), and the governance it changes. */
export const changeEffect = z.object({
  resolved: z.array(
    z.object({
      strategy: z.string(),
      environment: z.string(),
      before: resolvedSide,
      after: resolvedSide,
      diff: valuesDiff,
      critical: z.array(z.string()).describe("critical parameters whose resolved value changes"),
    }),
  ),
  governance: z.record(z.string(), z.unknown()).describe("policy or parameter rules changed, by subject"),
  weakenings: z.array(z.object({ subject: z.string(), environment: z.string().nullable(), what: z.string() })),
});

export const changeRequestReview = z.object({
  reviewer: z.string(),
  reviewer_person: z.string().nullable().describe("the person behind the reviewer's credential"),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().nullable(),
  at: z.string(),
});

export const changeRequest = z.object({
  id: z.number().int(),
  kind: z.enum(CHANGE_REQUEST_KINDS),
  summary: z.string().describe("what it does, in one line"),
  strategy_name: z.string().nullable().describe("activations and promotions: the strategy"),
  environment: z.string().nullable().describe("the environment it is about; null: several (a catalog change)"),
  environments: z.array(z.string()).describe("every environment whose rules ask for the approval"),
  from_environment: z.string().nullable(),
  config_id: z.string().nullable(),
  config_hash: z.string().nullable(),
  catalog_revision: z.number().int().nullable(),
  base_config_id: z.string().nullable().describe("the version active when proposed; another one active means stale"),
  diff: valuesDiff.describe(
    "what it changes in its subject: the version's values, the base values, the policy, the catalog",
  ),
  effect: changeEffect
    .nullable()
    .describe("what it changes in every resolved config and rule; null for requests made before effects were recorded"),
  effect_hash: z
    .string()
    .nullable()
    .describe("the hash of the effect: applied only while it still has exactly this effect"),
  reasons: z.array(z.string()).describe("why it needs approval"),
  approvals_required: z.number().int(),
  approvals: z.number().int().describe("distinct people other than the author who approved"),
  author: z.string(),
  author_person: z.string().nullable().describe("the person behind the author's credential"),
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

/** 202 answer of a change that needs approval (activation, promotion, restore, base values, policy, catalog). */
export const changeRequestAccepted = z.object({
  change_request: changeRequest,
  created: z.boolean().describe("false when an identical pending request already existed"),
});
