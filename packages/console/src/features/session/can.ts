/**
 * @module What the signed-in user may do: core's permission table (the one the server enforces),
 * so that controls a role may not use are not offered at all. Never compare role names by hand.
 */
import type { Principal } from "@tradai/core";
// The table alone (no schemas): every signed-in page's first load carries it, not the schema library.
import { type Action, rolesAllow } from "@tradai/core/permissions";
import { useSession } from "./session-query";

/** Whether the principal may do `action`, or any of `actions`. */
export function allows(me: Pick<Principal, "roles"> | null | undefined, action: Action | readonly Action[]): boolean {
  if (!me) return false;
  const actions: readonly Action[] = typeof action === "string" ? [action] : action;
  return actions.some((a) => rolesAllow(me.roles, a));
}

/**
 * Whether the signed-in user may do `action` (or any of several).
 * @example
 * const canWrite = useCan("catalog.write");
 */
export function useCan(action: Action | readonly Action[]): boolean {
  return allows(useSession().data, action);
}
