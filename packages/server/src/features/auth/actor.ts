/**
 * @module Who is making a change: the authenticated principal plus where the request came from.
 * Services take an Actor, write its name in `*_by` columns and the whole of it in the audit trail.
 */
import type { Principal, Role } from "@tradai/core";
import type { FastifyRequest } from "fastify";
import { ForbiddenError } from "../../http/errors.js";

export interface Actor {
  readonly name: string;
  readonly kind: Principal["kind"] | "system";
  readonly roles: readonly Role[];
  /** null: every environment */
  readonly environments: readonly string[] | null;
  readonly requestId: string | null;
  readonly clientAddress: string | null;
}

/** The platform itself (start-up, demo data, background jobs). */
export function systemActor(name = "system"): Actor {
  return { name, kind: "system", roles: ["admin"], environments: null, requestId: null, clientAddress: null };
}

export function requestActor(request: FastifyRequest): Actor {
  const principal = request.principal;
  if (!principal) throw new Error(`route ${request.routeOptions.url} acts without an authenticated principal`);
  return { ...principal, requestId: String(request.id), clientAddress: request.ip };
}

export const isAdmin = (actor: Actor) => actor.roles.includes("admin");

/** Service tokens may be limited to some environments. @throws ForbiddenError */
export function assertEnvironmentScope(actor: Actor, environment: string): void {
  if (actor.environments && !actor.environments.includes(environment)) {
    throw new ForbiddenError(`${actor.name} may act only in ${actor.environments.join(", ")}, not in ${environment}`);
  }
}
