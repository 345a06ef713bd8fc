/** @module API shapes of authentication: login, the current principal, users, service tokens. */
import { z } from "zod";
import { ROLES } from "./permissions.js";

export const role = z.enum(ROLES);
export const username = z
  .string()
  .regex(
    /^[a-z][a-z0-9._-]{0,63}$/,
    "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter",
  );
export const password = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(1024, "must be at most 1024 characters");

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  /** `cookie` (the console) sets a session cookie; `token` (the CLI) returns a bearer token. */
  issue: z.enum(["cookie", "token"]).default("cookie"),
});

export const principal = z.object({
  name: z.string(),
  kind: z.enum(["user", "token", "oidc", "anonymous"]),
  roles: z.array(role),
  environments: z.array(z.string()).nullable().describe("null: every environment"),
  person: z
    .string()
    .nullable()
    .describe(
      "the person it acts for: a user is themself, a token acts for who made it; null: nobody (cannot approve)",
    ),
  worker_ids: z
    .string()
    .nullable()
    .optional()
    .describe("the worker ids it may report for, a pattern where * matches anything (a token bound to them)"),
});
export type Principal = z.infer<typeof principal>;

export const loginResponse = z.object({
  principal,
  expires_at: z.string(),
  token: z.string().optional().describe("only when issue=token: shown once, keep it secret"),
});

export const changePasswordBody = z.strictObject({
  current_password: z.string().min(1).max(1024),
  new_password: password,
});

export const user = z.object({
  username: z.string(),
  role,
  disabled: z.boolean(),
  created_by: z.string(),
  created_at: z.string(),
  password_changed_at: z.string(),
});
export type User = z.infer<typeof user>;

export const createUserBody = z.strictObject({ username, role, password });
export const updateUserBody = z
  .strictObject({ role: role.optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((b) => Object.keys(b).length > 0, "give at least one of role, disabled, password");

export const serviceToken = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  roles: z.array(role),
  environments: z.array(z.string()).nullable(),
  expires_at: z.string(),
  created_by: z.string(),
  person: z.string().nullable().describe("the person it acts for (who made it); null: nobody, so it can never approve"),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  revoked_by: z.string().nullable(),
  last_used_at: z.string().nullable(),
  worker_id: z.string().nullable().describe("the worker ids it may report for ('live-*'); null: any"),
});
export type ServiceToken = z.infer<typeof serviceToken>;

/** A worker id, or a pattern of them where `*` matches any run of characters: `live-*`. */
export const WORKER_ID_PATTERN_SYNTAX = /^[A-Za-z0-9*][A-Za-z0-9._:*-]{0,127}$/;

/** Whether `workerId` matches `pattern` (`*`: any run of characters, everything else literal); linear time. */
export function workerIdMatches(pattern: string, workerId: string): boolean {
  const parts = pattern.split("*");
  const first = parts[0] as string;
  const last = parts.at(-1) as string;
  if (parts.length === 1) return workerId === pattern;
  if (!workerId.startsWith(first) || workerId.length < first.length + last.length || !workerId.endsWith(last))
    return false;
  let at = first.length;
  const end = workerId.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = workerId.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

export const createTokenBody = z.strictObject({
  name: username,
  roles: z.array(role).min(1),
  environments: z.array(z.string()).min(1).optional().describe("omit for every environment"),
  expires_in_days: z.number().int().min(1).max(3650).default(90),
  worker_id: z
    .string()
    .regex(
      WORKER_ID_PATTERN_SYNTAX,
      "a worker id or a pattern such as live-* (letters, digits, '.', '_', ':', '-', '*')",
    )
    .optional()
    .describe("bind it to these worker ids: it may report only for them (omit: any)"),
});
export const createTokenResponse = serviceToken.extend({
  token: z.string().describe("shown once: only its hash is stored"),
});
