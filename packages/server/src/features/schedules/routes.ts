/** @module HTTP routes of scheduled changes: schedule one (201), list them, read one, cancel one. */
import {
  cancelScheduleBody,
  listSchedulesQuery,
  scheduledChangeView,
  schedulePathParams,
  scheduleRequest,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { ScheduleService } from "./service.js";

const tags = ["distribution"];

export function scheduleRoutes(app: FastifyInstance, service: ScheduleService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/schedules",
    {
      config: { action: "schedules.write", environment: "body.environment" },
      schema: {
        operationId: "scheduleChange",
        tags,
        summary:
          "Schedule an activation, a rollback or a staged rollout for a time in a time zone; judged again when it runs (a freeze or another version active by then refuses it, loudly)",
        body: scheduleRequest,
        response: { 201: scheduledChangeView, ...problemResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.create(request.body, requestActor(request))),
  );

  r.get(
    "/api/v1/schedules",
    {
      config: { action: "schedules.read", environment: "query.environment" },
      schema: {
        operationId: "listScheduledChanges",
        tags,
        summary: "Scheduled changes, latest time first (?state=pending: those still to run)",
        querystring: listSchedulesQuery,
        response: { 200: z.object({ items: z.array(scheduledChangeView) }), ...problemResponses(422) },
      },
    },
    async (request) => ({ items: await service.list(request.query) }),
  );

  r.get(
    "/api/v1/schedules/:id",
    {
      config: { action: "schedules.read" },
      schema: {
        operationId: "getScheduledChange",
        tags,
        summary: "A scheduled change, and what happened when it ran",
        params: schedulePathParams,
        response: { 200: scheduledChangeView, ...problemResponses(404, 422) },
      },
    },
    async (request) => service.get(request.params.id),
  );

  r.post(
    "/api/v1/schedules/:id/cancel",
    {
      config: { action: "schedules.write" },
      schema: {
        operationId: "cancelScheduledChange",
        tags,
        summary: "Cancel a pending scheduled change (409 once it ran, was refused or cancelled)",
        params: schedulePathParams,
        body: cancelScheduleBody,
        response: { 200: scheduledChangeView, ...problemResponses(403, 404, 409, 422) },
      },
    },
    async (request) => service.cancel(request.params.id, request.body.reason, requestActor(request)),
  );
}
