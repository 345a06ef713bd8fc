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
    /**
     * Where the route names the environment it reads or acts in (`query.environment`,
     * `params.name`, `body.to`, ...): a credential limited to other environments is refused (403).
     * Left out of the request: the default environment (except for `from`).
     */
    environment?: EnvironmentSource | readonly EnvironmentSource[];
  }
  interface FastifyRequest {
    /** Who is asking; null for public and run-token routes. */
    principal: Principal | null;
  }
}

export type EnvironmentSource =
  | "query.environment"
  | "params.environment"
  | "params.name"
  | "body.environment"
  | "body.to"
  | "body.from";

export interface DeclaredRoute {
  method: string;
  url: string;
  action: Action | undefined;
  /** where it names its environment, as declared */
  environment: readonly EnvironmentSource[];
  /** fields of its query, path and body schemas that name an environment (the route walk checks they are declared) */
  environmentFields: string[];
}

/** The fields of a route's schemas that name an environment (`query.environment`, `body.to`, ...). */
function environmentFieldsOf(schema: Record<string, unknown> | undefined): string[] {
  const found: string[] = [];
  for (const [part, key] of [
    ["querystring", "query"],
    ["params", "params"],
    ["body", "body"],
  ] as const) {
    let shape =
      (schema?.[part] as { shape?: Record<string, unknown>; unwrap?: () => unknown } | undefined) ?? undefined;
    while (shape && !shape.shape && typeof shape.unwrap === "function") shape = shape.unwrap() as typeof shape;
    for (const field of Object.keys(shape?.shape ?? {})) {
      if (["environment", "to", "from"].includes(field)) found.push(`${key}.${field}`);
    }
  }
  return found;
}

export interface AuthOptions {
  authenticator: Authenticator;
  /** The environment of a request that names none. */
  defaultEnvironment: string;
  /** off: every request acts as `anonymous` with every role (loopback only, see settings). */
  authentication: "on" | "off";
  rbacMode: "enforce" | "shadow";
  metrics: PlatformMetrics;
}

const ANONYMOUS: Principal = {
  name: "anonymous",
  kind: "anonymous",
  roles: ["admin"],
  environments: null,
  person: "anonymous",
};

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
    const declared = route.config?.environment;
    const environment: readonly EnvironmentSource[] =
      declared === undefined ? [] : typeof declared === "string" ? [declared as EnvironmentSource] : declared;
    const environmentFields = environmentFieldsOf(route.schema as Record<string, unknown> | undefined);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== "HEAD") routes.push({ method, url: route.url, action, environment, environmentFields });
  });

  // A credential limited to some environments neither reads nor writes others.
  app.addHook("preHandler", async (request) => {
    const scope = request.principal?.environments;
    const declared = request.routeOptions.config?.environment;
    if (!scope || declared === undefined) return;
    const sources: readonly EnvironmentSource[] =
      typeof declared === "string" ? [declared as EnvironmentSource] : declared;
    for (const source of sources) {
      const [part, field] = source.split(".") as ["query" | "params" | "body", string];
      const given = (request[part] as Record<string, unknown> | null | undefined)?.[field];
      const environment = typeof given === "string" ? given : field === "from" ? undefined : options.defaultEnvironment;
      if (environment !== undefined && !scope.includes(environment)) {
        throw new ForbiddenError(
          `${request.principal?.name} may act only in ${scope.join(", ")}, not in ${environment}`,
        );
      }
    }
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
    if (permission === "anyone") return;
    if (permission === "run-token") {
      // The route checks the run's own token; a caller with none is told so before anything else.
      if (!/^Bearer \S/i.test(request.headers.authorization ?? "")) {
        throw new UnauthenticatedError(
          "this route takes the run's own token: Authorization: Bearer <TRADAI_RUN_TOKEN>",
        );
      }
      return;
    }
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
