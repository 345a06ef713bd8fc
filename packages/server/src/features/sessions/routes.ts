/** @module HTTP routes of sessions: a worker opens its own; anyone who may see workers reads them. */
import {
  listSessionsQuery,
  openSessionsBody,
  openSessionsResponse,
  sessionDetail,
  sessionList,
  sessionPathParams,
  WORKER_ID_PATTERN,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { SessionService } from "./service.js";

const tags = ["distribution"];

export function tradingSessionRoutes(app: FastifyInstance, service: SessionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/workers/:worker_id/sessions",
    {
      config: { action: "workers.report", environment: "body.environment" },
      schema: {
        operationId: "openTradingSessions",
        tags,
        summary:
          "A paper or live worker opens its sessions (one per strategy) with the configurations it starts on; heartbeats carry what it applies next",
        params: z.object({
          worker_id: z.string().regex(WORKER_ID_PATTERN, "1-128 letters, digits, '.', '_', ':' or '-'"),
        }),
        body: openSessionsBody,
        response: { 201: openSessionsResponse, ...problemResponses(403, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.open(request.params.worker_id, request.body, requestActor(request))),
  );

  r.get(
    "/api/v1/sessions",
    {
      config: { action: "workers.read", environment: "query.environment" },
      schema: {
        operationId: "listTradingSessions",
        tags,
        summary:
          "Paper and live sessions, newest first; with `at`, those open at that time, each with the configuration in use then",
        querystring: listSessionsQuery,
        response: { 200: sessionList, ...problemResponses(403, 422) },
      },
    },
    (request) => service.list(request.query, requestActor(request)),
  );

  r.get(
    "/api/v1/sessions/:session_id",
    {
      config: { action: "workers.read" },
      schema: {
        operationId: "getTradingSession",
        tags,
        summary: "A session with every configuration it applied, in order",
        params: sessionPathParams,
        response: { 200: sessionDetail, ...problemResponses(403, 404, 422) },
      },
    },
    (request) => service.get(request.params.session_id, requestActor(request)),
  );
}
