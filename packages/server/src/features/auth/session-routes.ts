/** @module HTTP routes of one's own session: log in (cookie or token), log out, who am I, password. */
import { changePasswordBody, loginBody, loginResponse, principal } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { AccountsService } from "./accounts-service.js";
import { SESSION_COOKIE } from "./authenticator.js";

const tags = ["auth"];

/** The session secret this request carries (cookie, or a `tds_` bearer token), if any. */
function sessionSecret(request: {
  headers: { authorization?: string | undefined };
  cookies: Record<string, string | undefined>;
}) {
  const bearer = request.headers.authorization?.match(/^Bearer (tds_\S+)$/i)?.[1];
  return bearer ?? request.cookies[SESSION_COOKIE];
}

export function sessionRoutes(app: FastifyInstance, accounts: AccountsService, sessionHours: number): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/auth/login",
    {
      config: { action: "public" },
      schema: {
        operationId: "logIn",
        tags,
        summary: "Log in: issue=cookie sets the console's session cookie; issue=token returns a bearer token (CLI)",
        body: loginBody,
        response: { 200: loginResponse, ...problemResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      const { username, password, issue } = request.body;
      const session = await accounts.login(username, password, issue, request.ip, String(request.id));
      if (issue === "token")
        return { principal: session.principal, expires_at: session.expires_at, token: session.secret };
      reply.setCookie(SESSION_COOKIE, session.secret, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        secure: request.protocol === "https",
        maxAge: sessionHours * 3600,
      });
      return { principal: session.principal, expires_at: session.expires_at };
    },
  );

  r.post(
    "/api/v1/auth/logout",
    {
      config: { action: "session.self" },
      schema: {
        operationId: "logOut",
        tags,
        summary: "End this session (cookie or login token)",
        response: { 204: z.null().describe("Logged out: the session has ended and its cookie is cleared") },
      },
    },
    async (request, reply) => {
      const secret = sessionSecret(request);
      if (secret) await accounts.logout(secret, requestActor(request));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/auth/me",
    {
      config: { action: "session.self" },
      schema: {
        operationId: "getCurrentPrincipal",
        tags,
        summary: "Who this request is from",
        response: { 200: principal },
      },
    },
    (request) => {
      const { name, kind, roles, environments, person } = requestActor(request);
      return {
        name,
        kind: kind === "system" ? "anonymous" : kind,
        roles: [...roles],
        environments: environments && [...environments],
        person,
      };
    },
  );

  r.post(
    "/api/v1/auth/password",
    {
      config: { action: "session.self" },
      schema: {
        operationId: "changeOwnPassword",
        tags,
        summary: "Change your own password (your other sessions end)",
        body: changePasswordBody,
        response: {
          204: z.null().describe("Password changed; your other sessions have ended"),
          ...problemResponses(401, 409, 422),
        },
      },
    },
    async (request, reply) => {
      await accounts.changeOwnPassword(
        requestActor(request),
        request.body.current_password,
        request.body.new_password,
        sessionSecret(request),
      );
      return reply.status(204).send(null);
    },
  );
}
