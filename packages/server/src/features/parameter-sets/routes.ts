/** @module HTTP routes of parameter sets. */
import { parameterSetDiff, parameterSetDiffParams, parameterSetHashParams, parameterSetResponse } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { problemResponses } from "../../http/openapi/responses.js";
import type { ParameterSetService } from "./service.js";

const tags = ["parameter-sets"];

export function parameterSetRoutes(app: FastifyInstance, service: ParameterSetService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/parameter-sets/:hash",
    {
      config: { action: "parameter_sets.read" },
      schema: {
        operationId: "getParameterSet",
        tags,
        summary: "A parameter set: the exact values, their provenance and the version a run used",
        params: parameterSetHashParams,
        response: { 200: parameterSetResponse, ...problemResponses(404, 422) },
      },
    },
    (request) => service.get(request.params.hash),
  );
  r.get(
    "/api/v1/parameter-sets/:a/diff/:b",
    {
      config: { action: "parameter_sets.read" },
      schema: {
        operationId: "diffParameterSets",
        tags,
        summary: "Keys added, removed and changed from parameter set a to b",
        params: parameterSetDiffParams,
        response: { 200: parameterSetDiff, ...problemResponses(404, 422) },
      },
    },
    (request) => service.diff(request.params.a, request.params.b),
  );
}
