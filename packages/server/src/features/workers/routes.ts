/** @module HTTP routes of workers: their heartbeat, and the view of who runs what (legacy mirrors included). */
import {
  heartbeatBody,
  legacyMirrorView,
  listWorkersQuery,
  parseLabelSelector,
  selects,
  WORKER_ID_PATTERN,
  workerView,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertInScope, inScope, requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { LegacyMirrorService } from "../legacy-mirror/service.js";
import type { WorkerService } from "./service.js";

const tags = ["distribution"];

export function workerRoutes(
  app: FastifyInstance,
  service: WorkerService,
  legacyMirrors: Pick<LegacyMirrorService, "list">,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/workers/:worker_id/heartbeat",
    {
      config: { action: "workers.report", environment: "body.environment" },
      schema: {
        operationId: "sendWorkerHeartbeat",
        tags,
        summary: "A worker reports what it applied (per strategy), the last seq it saw and what waits for a restart",
        params: z.object({
          worker_id: z.string().regex(WORKER_ID_PATTERN, "1-128 letters, digits, '.', '_', ':' or '-'"),
        }),
        body: heartbeatBody,
        response: {
          204: z.null().describe("Heartbeat recorded (its applied versions, lag and pending changes)"),
          ...problemResponses(403, 409, 422),
        },
      },
    },
    async (request, reply) => {
      await service.heartbeat(request.params.worker_id, request.body, requestActor(request));
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/workers/:worker_id/retire",
    {
      config: { action: "workers.retire" },
      schema: {
        operationId: "retireWorker",
        tags,
        summary:
          "Retire a worker: it leaves the view and its gauges, and its id is free for another credential (its sessions stay)",
        params: z.object({
          worker_id: z.string().regex(WORKER_ID_PATTERN, "1-128 letters, digits, '.', '_', ':' or '-'"),
        }),
        response: {
          200: z.object({
            worker_id: z.string(),
            environment: z.string(),
            reported_by: z.string(),
            retired_at: z.string(),
            retired_by: z.string(),
          }),
          ...problemResponses(403, 404),
        },
      },
    },
    async (request) => service.retire(request.params.worker_id, requestActor(request)),
  );

  r.get(
    "/api/v1/workers",
    {
      config: { action: "workers.read" },
      schema: {
        operationId: "listWorkers",
        tags,
        summary:
          "Workers: applied vs active version per strategy, lag in versions and seconds, status ok / lagging / stale, labels",
        querystring: listWorkersQuery,
        response: {
          200: z.object({
            items: z.array(workerView),
            legacy_mirrors: z
              .array(legacyMirrorView)
              .describe("the other consumers: legacy mirrors writing the resolved config back to the legacy row"),
          }),
          ...problemResponses(422),
        },
      },
    },
    async (request) => {
      const reader = requestActor(request);
      if (request.query.environment) assertInScope(reader, request.query.environment);
      const [items, mirrors] = await Promise.all([
        service.list(request.query.environment),
        legacyMirrors.list(request.query.environment),
      ]);
      const selector = parseLabelSelector(request.query.selector ?? "");
      return {
        items: items.filter((w) => inScope(reader, w.environment) && selects(selector, w.labels)),
        // A legacy mirror declares no labels: a selector leaves it out.
        legacy_mirrors: mirrors.filter((m) => inScope(reader, m.environment) && selects(selector, {})),
      };
    },
  );
}
