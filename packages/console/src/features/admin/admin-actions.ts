/** @module What the permission table must allow (any of) for the admin page and its tabs to be offered. */
import type { Action } from "@tradai/core";

export const ADMIN_TAB_ACTIONS = {
  users: "users.manage",
  roles: "users.manage",
  tokens: "tokens.manage",
  environments: "environments.write",
} as const satisfies Record<string, Action>;

export const ADMIN_ACTIONS: readonly Action[] = [...new Set(Object.values(ADMIN_TAB_ACTIONS))];
