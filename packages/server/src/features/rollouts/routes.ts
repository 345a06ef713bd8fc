/**
 * @module HTTP routes of staged rollouts: start one (201, or 202 with the change request it became),
 * list them, read one with its workers and live guard figures, pause, resume or abort it.
 */
import {
  abortRolloutBody,
  listRolloutsQuery,
  rolloutPathParams,
  rolloutStatus,
  rolloutView,
  startRolloutBody,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import { answerProposed, proposedResponse, type ShowChangeRequest } from "../../http/proposal-answer.js";
import type { RolloutService } from "./service.js";

const tags = ["distribution"];

export function rolloutRoutes(app: FastifyInstance, service: RolloutService, showChangeRequest: ShowChangeRequest) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/rollouts",
    {
      config: { action: "rollouts.start", environment: "body.environment" },
      schema: {
        operationId: "startRollout",
        tags,
        summary:
          "Start a staged rollout of a version: step by step (a share of the workers, or a label selector), each baked under guards; 202 with a change request where approval is needed",
        body: startRolloutBody,
        response: {
          201: rolloutView,
          ...proposedResponse,
          ...problemResponses(403, 404, 409, 422, 423),
        },
      },
    },
    async (request, reply) => {
      const outcome = await service.start(request.body, requestActor(request));
      if (outcome.outcome === "proposed") return answerProposed(reply, showChangeRequest, outcome);
      return reply.status(201).send(outcome.rollout);
    },
  );

  r.get(
    "/api/v1/rollouts",
    {
      config: { action: "rollouts.read", environment: "query.environment" },
      schema: {
        operationId: "listRollouts",
        tags,
        summary: "Staged rollouts, newest first (running, paused and ended)",
        querystring: listRolloutsQuery,
        response: { 200: z.object({ rollouts: z.array(rolloutView) }), ...problemResponses(422) },
      },
    },
    async (request) => ({ rollouts: await service.list(request.query) }),
  );

  r.get(
    "/api/v1/rollouts/:id",
    {
      config: { action: "rollouts.read" },
      schema: {
        operationId: "getRollout",
        tags,
        summary: "A staged rollout with the workers it assigns and each guard as judged on their latest reports",
        params: rolloutPathParams,
        response: { 200: rolloutStatus, ...problemResponses(404, 422) },
      },
    },
    async (request) => service.status(request.params.id),
  );

  for (const [verb, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    r.post(
      `/api/v1/rollouts/:id/${verb}`,
      {
        config: { action: "rollouts.control" },
        schema: {
          operationId: `${verb}Rollout`,
          tags,
          summary: paused
            ? "Pause a rollout: no next step; the workers it assigned keep its version"
            : "Resume a paused rollout: the step in force bakes again in full",
          params: rolloutPathParams,
          response: { 200: rolloutView, ...problemResponses(403, 404, 409, 422, 423) },
        },
      },
      async (request) => service.pause(request.params.id, paused, requestActor(request)),
    );
  }

  r.post(
    "/api/v1/rollouts/:id/abort",
    {
      config: { action: "rollouts.control" },
      schema: {
        operationId: "abortRollout",
        tags,
        summary:
          "Abort a rollout: every worker it assigned resolves the active version again at once (allowed in a freeze)",
        params: rolloutPathParams,
        body: abortRolloutBody,
        response: { 200: rolloutView, ...problemResponses(403, 404, 409, 422) },
      },
    },
    async (request) => service.abort(request.params.id, request.body.reason, requestActor(request)),
  );
}
