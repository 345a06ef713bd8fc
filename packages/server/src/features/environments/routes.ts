/** @module HTTP routes of environments: policy and freeze windows. */
import { createFreezeBody, environmentList, environmentView, freezeWindow, updatePolicyBody } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import { answerProposed, proposedResponse, type ShowChangeRequest } from "../../http/proposal-answer.js";
import type { EnvironmentService } from "./service.js";

const tags = ["environments"];
const nameParams = z.object({ name: z.string() });

export function environmentRoutes(app: FastifyInstance, service: EnvironmentService, show: ShowChangeRequest): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/environments",
    {
      config: { action: "environments.read" },
      schema: {
        operationId: "listEnvironments",
        tags,
        summary: "Environments with their policy and freeze windows",
        response: { 200: environmentList },
      },
    },
    async (request) => ({ items: await service.list(requestActor(request).environments) }),
  );

  r.get(
    "/api/v1/environments/:name",
    {
      config: { action: "environments.read", environment: "params.name" },
      schema: {
        operationId: "getEnvironment",
        tags,
        summary: "One environment",
        params: nameParams,
        response: { 200: environmentView, ...problemResponses(404) },
      },
    },
    (request) => service.get(request.params.name),
  );

  r.put(
    "/api/v1/environments/:name",
    {
      config: { action: "environments.write", environment: "params.name" },
      schema: {
        operationId: "updateEnvironmentPolicy",
        tags,
        summary:
          "Change an environment's policy (fields left out keep their value; expected_updated_at guards against overwrites); a change that weakens governance is proposed (202)",
        params: nameParams,
        body: updatePolicyBody,
        response: { 200: environmentView, ...proposedResponse, ...problemResponses(403, 404, 412, 422) },
      },
    },
    async (request, reply) => {
      const outcome = await service.updatePolicy(request.params.name, request.body, requestActor(request));
      return outcome.outcome === "proposed" ? answerProposed(reply, show, outcome) : outcome.view;
    },
  );

  r.post(
    "/api/v1/environments/:name/freezes",
    {
      config: { action: "freezes.write", environment: "params.name" },
      schema: {
        operationId: "createFreezeWindow",
        tags,
        summary: "Add a freeze window: one-off (starts_at, ends_at) or recurring (cron, duration_seconds, time_zone)",
        params: nameParams,
        body: createFreezeBody,
        response: { 201: freezeWindow, ...problemResponses(404, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addFreeze(request.params.name, request.body, requestActor(request))),
  );

  r.delete(
    "/api/v1/environments/:name/freezes/:id",
    {
      config: { action: "freezes.write", environment: "params.name" },
      schema: {
        operationId: "deleteFreezeWindow",
        tags,
        summary: "Remove a freeze window (kept in the audit trail)",
        params: nameParams.extend({ id: z.coerce.number().int().positive() }),
        response: { 200: freezeWindow, ...problemResponses(404, 422) },
      },
    },
    (request) => service.removeFreeze(request.params.name, request.params.id, requestActor(request)),
  );
}
