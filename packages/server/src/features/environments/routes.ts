/** @module HTTP routes of environments: policy and freeze windows. */
import { createFreezeBody, environmentList, environmentView, freezeWindow, updatePolicyBody } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../http/openapi.js";
import { requestActor } from "../auth/actor.js";
import type { EnvironmentService } from "./service.js";

const tags = ["environments"];
const nameParams = z.object({ name: z.string() });

export function environmentRoutes(app: FastifyInstance, service: EnvironmentService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/environments",
    {
      config: { action: "environments.read" },
      schema: {
        tags,
        summary: "Environments with their policy and freeze windows",
        response: { 200: environmentList },
      },
    },
    async () => ({ items: await service.list() }),
  );

  r.get(
    "/api/v1/environments/:name",
    {
      config: { action: "environments.read" },
      schema: {
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
      config: { action: "environments.write" },
      schema: {
        tags,
        summary:
          "Change an environment's policy (fields left out keep their value; expected_updated_at guards against overwrites)",
        params: nameParams,
        body: updatePolicyBody,
        response: { 200: environmentView, ...problemResponses(404, 412, 422) },
      },
    },
    (request) => service.updatePolicy(request.params.name, request.body, requestActor(request)),
  );

  r.post(
    "/api/v1/environments/:name/freezes",
    {
      config: { action: "freezes.write" },
      schema: {
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
      config: { action: "freezes.write" },
      schema: {
        tags,
        summary: "Remove a freeze window (kept in the audit trail)",
        params: nameParams.extend({ id: z.coerce.number().int().positive() }),
        response: { 200: freezeWindow, ...problemResponses(404, 422) },
      },
    },
    (request) => service.removeFreeze(request.params.name, request.params.id, requestActor(request)),
  );
}
