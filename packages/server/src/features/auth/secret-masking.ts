/**
 * @module Viewers read everything except secret references: for a principal without `secrets.read`,
 * every JSON answer (and every change stream event) has the values of `secret_ref` parameters
 * masked before it is sent.
 */
import { maskSecretReferences, type Role, rolesAllow } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { Queryable } from "../../db/database.js";

/**
 * How long the list of secret parameters is reused, so polls by viewer tokens cost no query. A
 * catalog write on this replica drops it at once; other replicas' lists follow within this.
 */
const SECRET_NAMES_TTL_MS = 2000;

export interface SecretMasker {
  /** Masks a payload for the roles given (nothing to do for those who may read secrets). */
  mask(roles: readonly Role[], payload: unknown): Promise<unknown>;
  /** The catalog changed: read the secret parameters again. */
  invalidate(): void;
}

export function secretMasker(db: Queryable): SecretMasker {
  let cached: { names: Promise<string[]>; at: number } | undefined;
  const secretNames = () => {
    if (!cached || Date.now() - cached.at > SECRET_NAMES_TTL_MS) {
      const names = db
        .query<{ name: string }>("SELECT name FROM catalog_parameters WHERE definition->>'type' = 'secret_ref'")
        .then(({ rows }) => rows.map((r) => r.name));
      const entry = { names, at: Date.now() };
      cached = entry;
      names.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.names;
  };
  return {
    async mask(roles, payload) {
      if (rolesAllow(roles, "secrets.read")) return payload;
      if (typeof payload !== "object" || payload === null) return payload;
      return maskSecretReferences(payload, await secretNames());
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** Whether answers to this principal have secret references masked (none: authentication is off). */
export function needsMasking(principal: { roles: readonly Role[] } | null | undefined): boolean {
  return principal != null && !rolesAllow(principal.roles, "secrets.read");
}

export function registerSecretMasking(app: FastifyInstance, masker: SecretMasker): void {
  app.addHook("preSerialization", async (request, _reply, payload) => {
    const principal = request.principal;
    return principal && needsMasking(principal) ? masker.mask(principal.roles, payload) : payload;
  });
  // Before a catalog write is answered, so the writer's next read is masked by the new catalog.
  app.addHook("onSend", async (request) => {
    if (request.method !== "GET" && request.url.startsWith("/api/v1/catalog")) masker.invalidate();
  });
}
