/**
 * @module Authentication and authorisation of every request, before its input is even parsed:
 * each route declares its action (`config.action`); the permission table in core says which roles
 * may do it. A route without a declared action refuses every request.
 */
import { type Action, PERMISSIONS, type Principal, rolesAllow, rolesFor } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import { ForbiddenError, ProblemError, UnauthenticatedError } from "../../http/errors.js";
import type { PlatformMetrics } from "../metrics/registry.js";
import type { Authenticator } from "./authenticator.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** What the route does, as named in core's permission table. */
    action?: Action;
  }
  interface FastifyRequest {
    /** Who is asking; null for public and run-token routes. */
    principal: Principal | null;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  action: Action | undefined;
}

export interface AuthOptions {
  authenticator: Authenticator;
  /** off: every request acts as `anonymous` with every role (loopback only, see settings). */
  authentication: "on" | "off";
  rbacMode: "enforce" | "shadow";
  metrics: PlatformMetrics;
}

const ANONYMOUS: Principal = { name: "anonymous", kind: "anonymous", roles: ["admin"], environments: null };

// Routes that plugins register (the API docs) cannot declare an action themselves.
const pluginRouteAction = (url: string): Action | undefined =>
  url.startsWith("/api/v1/docs") || url === "/api/v1/openapi.json" ? "docs.read" : undefined;

/** Registers the hooks; returns the route table as declared (the route walk test reads it). */
export function registerAuth(app: FastifyInstance, options: AuthOptions): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  app.decorateRequest("principal", null);

  app.addHook("onRoute", (route) => {
    const action = route.config?.action ?? pluginRouteAction(route.url);
    if (action && !route.config?.action) route.config = { ...route.config, action };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== "HEAD") routes.push({ method, url: route.url, action });
  });

  app.addHook("onRequest", async (request) => {
    const action = request.routeOptions.config?.action;
    if (request.routeOptions.url === undefined) return; // no such route: the 404 handler answers
    if (!action || !(action in PERMISSIONS)) {
      throw new ProblemError(
        500,
        "urn:tradai:problem:internal",
        "Internal server error",
        `route ${request.routeOptions.url} declares no action`,
      );
    }
    const permission = PERMISSIONS[action];
    if (permission === "anyone" || permission === "run-token") return;
    if (options.authentication === "off") {
      request.principal = ANONYMOUS;
      return;
    }
    let principal: Principal | null;
    try {
      principal = await options.authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof UnauthenticatedError) options.metrics.authFailures.inc();
      throw error;
    }
    if (!principal) {
      options.metrics.authFailures.inc();
      throw new UnauthenticatedError(
        "authentication required: HTTP Basic (user:password), Authorization: Bearer <token>, or the console's session cookie",
      );
    }
    request.principal = principal;
    if (rolesAllow(principal.roles, action)) return;
    const refusal = `${principal.name} (${principal.roles.join(", ") || "no role"}) may not ${action}: it needs ${rolesFor(action)}`;
    if (options.rbacMode === "shadow") {
      options.metrics.rbacShadowViolations.inc({ action, principal_kind: principal.kind });
      request.log.warn(
        { action, principal: principal.name, roles: principal.roles },
        `RBAC shadow mode allowed: ${refusal}`,
      );
      return;
    }
    options.metrics.forbidden.inc({ action });
    throw new ForbiddenError(refusal);
  });
  return routes;
}
