/**
 * @module Credentials already checked, remembered for a few seconds so that a worker's polls and
 * heartbeats cost no database query for authentication. Anything that can take a credential's
 * rights away (revoking a token, ending a session, changing or disabling a user) clears it on
 * this replica at once and, through NOTIFY, on every other replica; a replica that lost its
 * LISTEN connection clears it too, since it may have missed one.
 */
import { createHash } from "node:crypto";
import type { Principal } from "@tradai/core";
import type { Database, Queryable } from "../../db/database.js";

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
export const AUTH_CHANGED_CHANNEL = "tradai_auth_changed";

export interface PrincipalCache {
  get(credential: string): Principal | undefined;
  /** `until`: the credential's own expiry, if sooner than the cache's. */
  set(credential: string, principal: Principal, until?: Date): void;
  clear(): void;
}

export function principalCache(now = () => Date.now()): PrincipalCache {
  const entries = new Map<string, { principal: Principal; expires: number }>();
  // The key is a hash: the cache never holds a password or a token.
  const keyOf = (credential: string) => createHash("sha256").update(credential).digest("hex");
  return {
    get(credential) {
      const key = keyOf(credential);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires > now()) return entry.principal;
      entries.delete(key);
      return undefined;
    },
    set(credential, principal, until) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const expires = Math.min(now() + TTL_MS, until?.getTime() ?? Number.POSITIVE_INFINITY);
      entries.set(keyOf(credential), { principal, expires });
    },
    clear() {
      entries.clear();
    },
  };
}

/** Tells every replica (in the caller's transaction: delivered on commit) that rights were taken away. */
export async function announceAuthChange(tx: Queryable): Promise<void> {
  await tx.query("SELECT pg_notify($1, '')", [AUTH_CHANGED_CHANNEL]);
}

/**
 * Clears the caches (credentials, workers' owners) when any replica announces a change, and after a
 * lost LISTEN connection.
 */
export function watchAuthChanges(db: Database, ...caches: { clear(): void }[]): Promise<() => Promise<void>> {
  const clear = () => {
    for (const cache of caches) cache.clear();
  };
  return db.listen(AUTH_CHANGED_CHANNEL, { onNotify: clear, onReconnected: clear });
}
