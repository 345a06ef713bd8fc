/** @module HTTP routes of resolution and environment base values. */
import {
  environmentBase,
  environmentBaseBody,
  environmentBasePathParams,
  resolvedConfig,
  resolvePathParams,
  resolveQuery,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../http/openapi.js";
import { requestActor } from "../auth/actor.js";
import type { ResolutionService } from "./service.js";

export function resolutionRoutes(app: FastifyInstance, service: ResolutionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/resolve/:strategy",
    {
      config: { action: "configs.read" },
      schema: {
        tags: ["resolution"],
        summary:
          "The resolved config: catalog defaults <- environment base <- active version (explain=true: each value's origin)",
        params: resolvePathParams,
        querystring: resolveQuery,
        response: { 200: resolvedConfig, 304: z.null(), ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const resolved = await service.resolve(
        request.params.strategy,
        request.query.environment,
        request.query.explain ?? false,
      );
      // The resolved hash is the entity tag: a poller sending If-None-Match gets 304 while nothing changed.
      const etag = `"${resolved.resolved_hash}"`;
      reply.header("etag", etag);
      const given = request.headers["if-none-match"];
      if (given?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
        return reply.status(304).send(null);
      }
      return resolved;
    },
  );

  r.get(
    "/api/v1/environments/:environment/base",
    {
      config: { action: "environments.read" },
      schema: {
        tags: ["environments"],
        summary: "The environment's base values (latest revision)",
        params: environmentBasePathParams,
        response: { 200: environmentBase, ...problemResponses(422) },
      },
    },
    (request) => service.getBase(request.params.environment),
  );

  r.put(
    "/api/v1/environments/:environment/base",
    {
      config: { action: "environments.write" },
      schema: {
        tags: ["environments"],
        summary: "Replace the environment's base values for all strategies (a new revision)",
        params: environmentBasePathParams,
        body: environmentBaseBody,
        response: { 200: environmentBase, ...problemResponses(422) },
      },
    },
    (request) => service.putBase(request.params.environment, request.body.values, requestActor(request)),
  );
}
