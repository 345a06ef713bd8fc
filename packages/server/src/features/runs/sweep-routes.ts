/** @module HTTP routes of sweeps: submit one (a run per grid point), and read it as one table. */
import { environmentQuery, submitSweepBody, submitSweepResponse, sweepPathParams, sweepView } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { SweepService } from "./sweeps.js";

const tags = ["backtests"];

export function sweepRoutes(app: FastifyInstance, sweeps: SweepService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/sweeps",
    {
      config: { action: "runs.submit", environment: "query.environment" },
      schema: {
        operationId: "submitSweep",
        tags,
        summary:
          "Submit a sweep: one backtest per point of the grid of `over` (each parameter's allowed values, steps or variants in the catalog now), one sweep id",
        querystring: environmentQuery,
        body: submitSweepBody,
        response: { 202: submitSweepResponse, ...problemResponses(400, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await sweeps.submit(request.body, requestActor(request), request.query.environment, request.log)),
  );

  r.get(
    "/api/v1/sweeps/:sweep_id",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "getSweep",
        tags,
        summary: "A sweep's runs, each with its grid point, status and metrics",
        params: sweepPathParams,
        response: { 200: sweepView, ...problemResponses(404, 422) },
      },
    },
    (request) => sweeps.get(request.params.sweep_id, requestActor(request)),
  );
}
