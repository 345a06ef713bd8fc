/** @module Human output of who is logged in, users and service tokens. */
import type { Principal, ServiceToken, User } from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");
const environmentsText = (environments: readonly string[] | null) =>
  environments === null ? "all" : environments.join(", ");

export function principalDetails(p: Principal, extra: readonly (readonly [string, string])[] = []): string {
  return formatFields([
    ["name", p.name],
    ["kind", p.kind],
    ["roles", p.roles.length > 0 ? p.roles.join(", ") : "-"],
    ["environments", environmentsText(p.environments)],
    // Four eyes count people: a token acts for the person who made it; nobody can never approve.
    ["acts for", p.person ?? "nobody (cannot approve)"],
    ...extra,
  ]);
}

export function userTable(users: readonly User[]): string {
  if (users.length === 0) return "No users.";
  return formatTable([
    ["USERNAME", "ROLE", "STATE", "CREATED", "CREATED_BY", "PASSWORD_CHANGED"],
    ...users.map((u) => [
      u.username,
      u.role,
      u.disabled ? "disabled" : "enabled",
      when(u.created_at),
      u.created_by,
      when(u.password_changed_at),
    ]),
  ]);
}

export function userSummary(verb: string, u: User): string {
  return `${verb} user ${u.username}: ${u.role}, ${u.disabled ? "disabled" : "enabled"}`;
}

/** revoked, expired or active, as of now. */
function tokenState(t: ServiceToken): string {
  if (t.revoked_at) return `revoked ${when(t.revoked_at)} by ${t.revoked_by ?? "-"}`;
  return Date.parse(t.expires_at) <= Date.now() ? "expired" : "active";
}

export function tokenTable(tokens: readonly ServiceToken[]): string {
  if (tokens.length === 0) return "No service tokens.";
  return formatTable([
    ["ID", "NAME", "PREFIX", "ROLES", "ENVIRONMENTS", "EXPIRES", "CREATED_BY", "LAST_USED", "STATE"],
    ...tokens.map((t) => [
      String(t.id),
      t.name,
      t.prefix,
      t.roles.join(","),
      environmentsText(t.environments),
      when(t.expires_at),
      t.created_by,
      when(t.last_used_at),
      tokenState(t),
    ]),
  ]);
}

export function tokenSummary(verb: string, t: ServiceToken): string {
  return (
    `${verb} token ${t.id} "${t.name}" (roles: ${t.roles.join(", ")}; environments: ` +
    `${environmentsText(t.environments)}; expires ${when(t.expires_at)})`
  );
}

/** The answer of `token create`: the secret, with the warning that it is never shown again. */
export function tokenCreated(t: ServiceToken & { token: string }): string {
  return [
    tokenSummary("Created", t),
    "",
    `  ${t.token}`,
    "",
    "This secret is shown once, now: the server keeps only its hash. Store it in a secret manager;",
    "use it as TRADAI_TOKEN (or --token, or an 'Authorization: Bearer' header).",
  ].join("\n");
}
