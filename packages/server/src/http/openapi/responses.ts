/**
 * @module How each route appears in the OpenAPI document: its errors as `application/problem+json`
 * (one `Problem` schema), the errors every route of its kind can answer, and its security as the
 * auth hook applies it (public routes need no credentials).
 */
import { type Action, PERMISSIONS, problem } from "@tradai/core";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

const PROBLEM_MEDIA_TYPE = "application/problem+json";
const PROBLEM_REF = { $ref: "#/components/schemas/Problem" };

/** Response schemas for the listed error statuses, so the document shows the problem shape. */
export function problemResponses(...statuses: number[]): Record<number, typeof problem> {
  return Object.fromEntries(statuses.map((status) => [status, problem]));
}

/** What each error status means on this API (the `type` in the body says exactly which failure). */
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request: the body is not strict JSON, or the URL is not valid",
  401: "Authentication required, or the credentials were refused",
  403: "Forbidden: the caller's roles or environments do not allow this",
  404: "Not found",
  409: "Conflict with the current state",
  412: "Precondition failed: what is active now is not what the request expected",
  413: "Payload too large (over 1 MiB)",
  415: "Unsupported media type: send application/json",
  422: "Invalid input: one `errors` entry per offending field",
  423: "The environment is frozen",
  429: "Too many failed password checks: retry after the Retry-After seconds",
  500: "Internal server error",
  503: "Unavailable for now (database unreachable, server shutting down): retry after the Retry-After seconds",
};

const RETRY_AFTER = {
  "retry-after": { type: "integer", description: "seconds to wait before retrying" },
};

function problemResponse(status: number) {
  return {
    description: PROBLEM_DESCRIPTIONS[status] ?? "Error",
    ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
    content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
  };
}

/** The error statuses any route can answer given how it is declared, besides those it lists itself. */
function impliedErrorStatuses(action: Action | undefined, schema: Record<string, unknown>): number[] {
  const permission = action ? PERMISSIONS[action] : undefined;
  const statuses = [503];
  if (permission !== "anyone") statuses.push(401);
  // People's routes: a password guessed too often locks its user out for a while (login-limiter.ts).
  if (Array.isArray(permission)) statuses.push(403, 429);
  if (schema.params || schema.querystring || schema.body || schema.headers) statuses.push(422);
  if (schema.body) statuses.push(400, 413, 415);
  return statuses;
}

/** The route's `security`: none for public routes, the run's own bearer token for run-token routes. */
function securityOf(action: Action | undefined): Record<string, string[]>[] | undefined {
  const permission = action ? PERMISSIONS[action] : undefined;
  if (permission === "anyone") return [];
  if (permission === "run-token") return [{ bearer: [] }];
  return undefined; // the document's default: Basic or bearer
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/** `transform` for @fastify/swagger: Zod -> JSON Schema (with `$ref`s to named schemas), then the above. */
export function documentRoute(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const result = jsonSchemaTransform(input);
  const schema = result.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide) return result;
  const action = (input.route as { config?: { action?: Action } }).config?.action;
  const responses = { ...(schema.response as Record<string, unknown> | undefined) };
  const statuses = [
    ...Object.keys(responses)
      .map(Number)
      .filter((status) => status >= 400),
    ...impliedErrorStatuses(action, input.schema as Record<string, unknown>),
  ];
  for (const status of statuses.sort()) responses[status] = problemResponse(status);
  const security = securityOf(action);
  return {
    ...result,
    schema: { ...schema, response: responses, ...(security ? { security } : {}) },
  };
}
