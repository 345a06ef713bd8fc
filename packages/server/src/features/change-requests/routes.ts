/** @module HTTP routes of change requests: list, show, approve, reject, break-glass. */
import {
  breakGlassBody,
  changeRequest,
  changeRequestList,
  changeRequestPathParams,
  changeRequestQuery,
  rejectBody,
  reviewBody,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { ChangeRequestService } from "./service.js";

const tags = ["change requests"];

export function changeRequestRoutes(app: FastifyInstance, service: ChangeRequestService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/change-requests",
    {
      config: { action: "change_requests.read" },
      schema: {
        operationId: "listChangeRequests",
        tags,
        summary: "Change requests, newest first",
        querystring: changeRequestQuery,
        response: { 200: changeRequestList },
      },
    },
    (request) => service.list(request.query, requestActor(request)),
  );

  r.get(
    "/api/v1/change-requests/:id",
    {
      config: { action: "change_requests.read" },
      schema: {
        operationId: "getChangeRequest",
        tags,
        summary: "One change request with its diff and reviews",
        params: changeRequestPathParams,
        response: { 200: changeRequest, ...problemResponses(404) },
      },
    },
    (request) => service.showTo(request.params.id, requestActor(request)),
  );

  r.post(
    "/api/v1/change-requests/:id/approve",
    {
      config: { action: "change_requests.review" },
      schema: {
        operationId: "approveChangeRequest",
        tags,
        summary:
          "Approve (not your own); with enough approvals it is applied at once. Stale (the active version changed): 409",
        params: changeRequestPathParams,
        body: reviewBody,
        response: { 200: changeRequest, ...problemResponses(403, 404, 409, 422, 423) },
      },
    },
    (request) =>
      service.approve(
        request.params.id,
        requestActor(request),
        request.body?.comment,
        request.body?.freeze_override_reason,
      ),
  );

  r.post(
    "/api/v1/change-requests/:id/reject",
    {
      config: { action: "change_requests.review" },
      schema: {
        operationId: "rejectChangeRequest",
        tags,
        summary: "Reject with a comment (not your own); one rejection closes the request",
        params: changeRequestPathParams,
        body: rejectBody,
        response: { 200: changeRequest, ...problemResponses(403, 404, 409, 422) },
      },
    },
    (request) => service.reject(request.params.id, requestActor(request), request.body.comment),
  );

  r.post(
    "/api/v1/change-requests/:id/break-glass",
    {
      config: { action: "change_requests.break_glass" },
      schema: {
        operationId: "breakGlassChangeRequest",
        tags,
        summary: "Admin: apply without approval where the environment's policy allows it; audited and announced",
        params: changeRequestPathParams,
        body: breakGlassBody,
        response: { 200: changeRequest, ...problemResponses(403, 404, 409, 422, 423) },
      },
    },
    (request) =>
      service.breakGlass(
        request.params.id,
        requestActor(request),
        request.body.reason,
        request.body.freeze_override_reason,
      ),
  );
}
