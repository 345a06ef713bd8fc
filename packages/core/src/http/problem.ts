/** @module Error bodies: `application/problem+json` (RFC 9457) with one entry per offending field. */
import { z } from "zod";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const fieldError = z.object({
  field: z.string().describe("dotted path of the offending field, e.g. config_data.risk.stoploss"),
  location: z.enum(["body", "query", "path", "header"]),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldError>;

export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  request_id: z.string().optional(),
  errors: z.array(fieldError).optional(),
});
export type Problem = z.infer<typeof problem>;

/** Problem `type` URIs: one per kind of failure, stable for clients to branch on. */
export const problemTypes = {
  malformedJson: "urn:tradai:problem:malformed-json",
  malformedUrl: "urn:tradai:problem:malformed-url",
  invalidInput: "urn:tradai:problem:invalid-input",
  payloadTooLarge: "urn:tradai:problem:payload-too-large",
  unsupportedMediaType: "urn:tradai:problem:unsupported-media-type",
  notFound: "urn:tradai:problem:not-found",
  unauthenticated: "urn:tradai:problem:unauthenticated",
  forbidden: "urn:tradai:problem:forbidden",
  conflict: "urn:tradai:problem:conflict",
  stale: "urn:tradai:problem:stale-change-request",
  preconditionFailed: "urn:tradai:problem:precondition-failed",
  frozen: "urn:tradai:problem:environment-frozen",
  tooManyRequests: "urn:tradai:problem:too-many-requests",
  internal: "urn:tradai:problem:internal",
  unavailable: "urn:tradai:problem:unavailable",
  databaseUnavailable: "urn:tradai:problem:database-unavailable",
  shuttingDown: "urn:tradai:problem:shutting-down",
  idempotencyKeyInUse: "urn:tradai:problem:idempotency-key-in-use",
  idempotencyKeyReused: "urn:tradai:problem:idempotency-key-reused",
} as const;
