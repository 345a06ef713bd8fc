/**
 * @module Viewers read everything except secret references: for a principal without `secrets.read`,
 * every JSON answer has the values of `secret_ref` parameters masked before it is sent.
 */
import { maskSecretReferences, rolesAllow } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { Queryable } from "../../db/database.js";

export function registerSecretMasking(app: FastifyInstance, db: Queryable): void {
  app.addHook("preSerialization", async (request, _reply, payload) => {
    const principal = request.principal;
    if (!principal || rolesAllow(principal.roles, "secrets.read")) return payload;
    if (typeof payload !== "object" || payload === null) return payload;
    const { rows } = await db.query<{ name: string }>(
      "SELECT name FROM catalog_parameters WHERE definition->>'type' = 'secret_ref'",
    );
    return maskSecretReferences(
      payload,
      rows.map((r) => r.name),
    );
  });
}
