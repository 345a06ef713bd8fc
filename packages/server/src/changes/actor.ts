/**
 * @module Who makes a change: the authenticated principal, the person it acts for, and where the
 * request came from. Every governed change takes an Actor; its name goes in `*_by` columns, the
 * whole of it in the audit trail, and its person is what four-eyes counts.
 */
import { type Action, type Principal, type Role, rolesAllow } from "@tradai/core";
import type { FastifyRequest } from "fastify";
import { ForbiddenError } from "../http/errors.js";
import type { IdempotencyClaim } from "./idempotency.js";

export interface Actor {
  readonly name: string;
  readonly kind: Principal["kind"] | "system";
  readonly roles: readonly Role[];
  /** null: every environment */
  readonly environments: readonly string[] | null;
  /**
   * The person behind the credential: a user is themself, a token acts for the person who made
   * it, the platform acts for nobody. null: nobody, so it can never approve.
   */
  readonly person: string | null;
  /** The worker ids the credential may report for (a pattern with `*`); absent or null: any. */
  readonly worker_ids?: string | null;
  readonly requestId: string | null;
  readonly clientAddress: string | null;
  /** The request's Idempotency-Key, claimed in the transaction of the change it makes. */
  readonly idempotency?: IdempotencyClaim | null;
}

/** The platform itself (start-up, background jobs): every right, and no person behind it. */
export function systemActor(name = "system"): Actor {
  return {
    name,
    kind: "system",
    roles: ["admin"],
    environments: null,
    person: null,
    requestId: null,
    clientAddress: null,
  };
}

export function requestActor(request: FastifyRequest): Actor {
  const principal = request.principal;
  if (!principal) throw new Error(`route ${request.routeOptions.url} acts without an authenticated principal`);
  return {
    ...principal,
    requestId: String(request.id),
    clientAddress: request.ip,
    idempotency: request.idempotency ?? null,
  };
}

/** Whether the permission table lets the actor do `action` (the route checked its own action already). */
export const actorMay = (actor: Pick<Actor, "roles">, action: Action) => rolesAllow(actor.roles, action);

/** Whether the actor may see or act in the environment (tokens may be limited to some). */
export const inScope = (actor: Pick<Actor, "environments">, environment: string) =>
  actor.environments === null || actor.environments.includes(environment);

/** @throws ForbiddenError when the actor's credential is limited to other environments */
export function assertInScope(actor: Pick<Actor, "name" | "environments">, environment: string): void {
  if (!inScope(actor, environment)) {
    throw new ForbiddenError(`${actor.name} may act only in ${actor.environments?.join(", ")}, not in ${environment}`);
  }
}
