/** @module HTTP routes of config versions: parse, call the service, shape the response. */
import {
  configPathParams,
  configVersion,
  configVersionList,
  createConfigBody,
  createConfigResponse,
  deprecateBody,
  deprecateConfigResponse,
  environmentQuery,
  listConfigsQuery,
  strategyList,
  strategyPathParams,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { ConfigService } from "./service.js";

const tags = ["configs"];

export function configRoutes(app: FastifyInstance, service: ConfigService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/configs",
    {
      config: { action: "configs.create", environment: "query.environment" },
      schema: {
        operationId: "createConfigVersion",
        tags,
        summary: "Create a config version (or return the identical existing one)",
        querystring: environmentQuery,
        body: createConfigBody,
        response: { 200: createConfigResponse, 201: createConfigResponse, ...problemResponses(400, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { version, deduplicated } = await service.create(
        request.body,
        requestActor(request),
        request.query.environment,
      );
      return reply.status(deduplicated ? 200 : 201).send({ ...version, deduplicated });
    },
  );

  r.get(
    "/api/v1/configs",
    {
      config: { action: "configs.read" },
      schema: {
        operationId: "listStrategies",
        tags,
        summary: "List strategies with their active version in each environment",
        response: { 200: strategyList },
      },
    },
    (request) => service.listStrategies(requestActor(request).environments),
  );

  r.get(
    "/api/v1/configs/:strategy",
    {
      config: { action: "configs.read", environment: "query.environment" },
      schema: {
        operationId: "listConfigVersions",
        tags,
        summary: "List a strategy's versions, newest first, with their status in one environment",
        params: strategyPathParams,
        querystring: listConfigsQuery,
        response: { 200: configVersionList, ...problemResponses(404, 422) },
      },
    },
    (request) => service.list(request.params.strategy, request.query),
  );

  r.get(
    "/api/v1/configs/:strategy/:config_id",
    {
      config: { action: "configs.read", environment: "query.environment" },
      schema: {
        operationId: "getConfigVersion",
        tags,
        summary: "Show one version with its status in one environment",
        params: configPathParams,
        querystring: environmentQuery,
        response: { 200: configVersion, ...problemResponses(404, 422) },
      },
    },
    (request) => service.show(request.params.strategy, request.params.config_id, request.query.environment),
  );

  r.post(
    "/api/v1/configs/:strategy/:config_id/deprecate",
    {
      config: { action: "configs.deprecate", environment: "query.environment" },
      schema: {
        operationId: "deprecateConfigVersion",
        tags,
        summary: "Deprecate the version everywhere (terminal); if active in the environment, it is left with none",
        params: configPathParams,
        querystring: environmentQuery,
        body: deprecateBody,
        response: { 200: deprecateConfigResponse, ...problemResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const { version, changed } = await service.deprecate(
        request.params.strategy,
        request.params.config_id,
        requestActor(request),
        request.body?.reason,
        request.query.environment,
      );
      return { ...version, changed };
    },
  );
}
