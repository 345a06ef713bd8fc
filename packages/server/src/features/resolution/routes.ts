/** @module HTTP routes of resolution and environment base values. */
import {
  environmentBase,
  environmentBaseBody,
  environmentBasePathParams,
  readerOf,
  resolvedConfig,
  resolvePathParams,
  resolveQuery,
} from "@tradai/core";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import { answerProposed, proposedResponse, type ShowChangeRequest } from "../../http/proposal-answer.js";
import { needsMasking } from "../auth/secret-masking.js";
import { JSON_CONTENT_TYPE, serializedOnce } from "./answer-bytes.js";
import type { ResolutionService } from "./service.js";

/** Set on a resolve answered from memory during an outage: seconds since the database confirmed it. */
export const STALE_HEADER = "x-tradai-stale-seconds";

/**
 * The reply without the route's schema types: its answer is given as ready bytes (or none, for a
 * 304), which skips the serializer; the schema still documents the answer.
 */
const untyped = (reply: unknown) => reply as FastifyReply;

export function resolutionRoutes(app: FastifyInstance, service: ResolutionService, show: ShowChangeRequest): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/resolve/:strategy",
    {
      config: { action: "configs.read", environment: "query.environment" },
      schema: {
        operationId: "resolveConfig",
        tags: ["resolution"],
        summary:
          "The resolved config: catalog defaults <- environment base <- active version (explain=true: each value's origin)",
        params: resolvePathParams,
        querystring: resolveQuery,
        response: {
          200: resolvedConfig,
          304: z.null().describe("Not modified: the resolved hash is still the ETag given in If-None-Match"),
          ...problemResponses(409, 422),
        },
      },
    },
    async (request, reply) => {
      const answer = service.resolve(
        request.params.strategy,
        request.query.environment,
        request.query.explain ?? false,
        readerOf(request.query),
      );
      const resolved = await answer.config;
      const staleSeconds = answer.staleSeconds;
      // An outage: the last config this server resolved, unconfirmed for that long (TRADAI_STALE_READS_MAX).
      if (staleSeconds !== null) {
        reply.header("age", String(staleSeconds));
        reply.header(STALE_HEADER, String(staleSeconds));
      }
      // The resolved hash is the entity tag: a poller sending If-None-Match gets 304 while nothing changed.
      const etag = `"${resolved.resolved_hash}"`;
      reply.header("etag", etag);
      const given = request.headers["if-none-match"];
      if (given?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
        return untyped(reply).status(304).send();
      }
      // Polled by every worker: the answer's bytes are made once per resolution. Those who may
      // not read secrets get the object, masked on its way out (auth/secret-masking.ts).
      if (!request.query.explain && !needsMasking(request.principal)) {
        return untyped(reply).type(JSON_CONTENT_TYPE).send(serializedOnce(resolved));
      }
      return resolved;
    },
  );

  r.get(
    "/api/v1/environments/:environment/base",
    {
      config: { action: "environments.read", environment: "params.environment" },
      schema: {
        operationId: "getEnvironmentBase",
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
      config: { action: "environments.write", environment: "params.environment" },
      schema: {
        operationId: "replaceEnvironmentBase",
        tags: ["environments"],
        summary:
          "Replace the environment's base values for all strategies (a new revision); judged on what it changes in every resolved config there (202: a change request)",
        params: environmentBasePathParams,
        body: environmentBaseBody,
        response: { 200: environmentBase, ...proposedResponse, ...problemResponses(403, 409, 422, 423) },
      },
    },
    async (request, reply) => {
      const outcome = await service.putBase(
        request.params.environment,
        request.body.values,
        requestActor(request),
        request.body.freeze_override_reason,
      );
      return outcome.outcome === "proposed" ? answerProposed(reply, show, outcome) : outcome.base;
    },
  );
}
