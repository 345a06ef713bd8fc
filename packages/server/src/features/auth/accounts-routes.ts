/** @module HTTP routes of users and service-account tokens (admin). */
import {
  createTokenBody,
  createTokenResponse,
  createUserBody,
  serviceToken,
  updateUserBody,
  user,
  username,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { AccountsService } from "./accounts-service.js";

const tags = ["users and tokens"];

export function accountsRoutes(app: FastifyInstance, accounts: AccountsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/users",
    {
      config: { action: "users.manage" },
      schema: {
        operationId: "listUsers",
        tags,
        summary: "List users",
        response: { 200: z.object({ items: z.array(user) }) },
      },
    },
    async () => ({ items: await accounts.users() }),
  );

  r.post(
    "/api/v1/users",
    {
      config: { action: "users.manage" },
      schema: {
        operationId: "createUser",
        tags,
        summary: "Create a user",
        body: createUserBody,
        response: { 201: user, ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.createUser(request.body, requestActor(request))),
  );

  r.patch(
    "/api/v1/users/:username",
    {
      config: { action: "users.manage" },
      schema: {
        operationId: "updateUser",
        tags,
        summary: "Change a user's role, disable or enable them, or reset their password (their sessions end)",
        params: z.object({ username }),
        body: updateUserBody,
        response: { 200: user, ...problemResponses(404, 409, 422) },
      },
    },
    (request) => accounts.updateUser(request.params.username, request.body, requestActor(request)),
  );

  r.get(
    "/api/v1/tokens",
    {
      config: { action: "tokens.manage" },
      schema: {
        operationId: "listTokens",
        tags,
        summary: "List service-account tokens (never their secrets)",
        response: { 200: z.object({ items: z.array(serviceToken) }) },
      },
    },
    async () => ({ items: await accounts.tokens() }),
  );

  r.post(
    "/api/v1/tokens",
    {
      config: { action: "tokens.manage" },
      schema: {
        operationId: "createToken",
        tags,
        summary: "Create a service-account token, scoped to roles and environments; the secret is shown once",
        body: createTokenBody,
        response: { 201: createTokenResponse, ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.createToken(request.body, requestActor(request))),
  );

  r.delete(
    "/api/v1/tokens/:id",
    {
      config: { action: "tokens.manage" },
      schema: {
        operationId: "revokeToken",
        tags,
        summary: "Revoke a token (at once, for good)",
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: serviceToken, ...problemResponses(404, 422) },
      },
    },
    (request) => accounts.revokeToken(request.params.id, requestActor(request)),
  );
}
