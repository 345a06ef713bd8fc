/** @module HTTP routes of config versions: parse, call the service, shape the response. */
import {
  activationOptions,
  configPathParams,
  configVersion,
  configVersionList,
  createConfigBody,
  createConfigResponse,
  deprecateBody,
  deprecateConfigResponse,
  environmentQuery,
  listConfigsQuery,
  promoteBody,
  rollbackBody,
  strategyList,
  strategyPathParams,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { problemResponses } from "../../http/openapi.js";
import { activationResponses, answerActivation } from "../activation/answer.js";
import type { ActivationService } from "../activation/service.js";
import { requestActor } from "../auth/actor.js";
import type { ChangeRequestService } from "../change-requests/service.js";
import { expectedActiveFrom } from "./if-match.js";
import type { ConfigService } from "./service.js";

const tags = ["configs"];

export interface ConfigRouteDeps {
  configs: ConfigService;
  activation: ActivationService;
  changeRequests: ChangeRequestService;
}

export function configRoutes(
  app: FastifyInstance,
  { configs: service, activation, changeRequests }: ConfigRouteDeps,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/configs",
    {
      config: { action: "configs.create" },
      schema: {
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
        tags,
        summary: "List strategies with their active version in each environment",
        response: { 200: strategyList },
      },
    },
    () => service.listStrategies(),
  );

  r.get(
    "/api/v1/configs/:strategy",
    {
      config: { action: "configs.read" },
      schema: {
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
      config: { action: "configs.read" },
      schema: {
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
    "/api/v1/configs/:strategy/:config_id/activate",
    {
      config: { action: "configs.activate" },
      schema: {
        tags,
        summary:
          "Make the version the active one in an environment, or propose it (202, a change request) where approval is needed",
        description:
          "Send the version you expect active now as If-Match (or expected_active; `none` for none): a mismatch is 412.",
        params: configPathParams,
        querystring: environmentQuery,
        body: activationOptions,
        response: activationResponses,
      },
    },
    async (request, reply) => {
      const { strategy, config_id } = request.params;
      const outcome = await activation.request({
        strategy,
        configId: config_id,
        environment: request.query.environment,
        expectedActive: expectedActiveFrom(request.headers["if-match"], request.body?.expected_active),
        freezeOverrideReason: request.body?.freeze_override_reason,
        actor: requestActor(request),
      });
      return answerActivation(reply, { configs: service, changeRequests }, strategy, config_id, outcome);
    },
  );

  r.post(
    "/api/v1/configs/:strategy/rollback",
    {
      config: { action: "configs.rollback" },
      schema: {
        tags,
        summary:
          "Re-activate the version the current one superseded in ?environment= (approvals and freezes apply: 200 or 202)",
        params: strategyPathParams,
        querystring: environmentQuery,
        body: rollbackBody,
        response: activationResponses,
      },
    },
    async (request, reply) => {
      const outcome = await activation.rollback(
        request.params.strategy,
        request.query.environment,
        requestActor(request),
        request.body?.freeze_override_reason,
      );
      return answerActivation(
        reply,
        { configs: service, changeRequests },
        request.params.strategy,
        outcome.config_id,
        outcome,
      );
    },
  );

  r.post(
    "/api/v1/configs/:strategy/:config_id/promote",
    {
      config: { action: "configs.promote" },
      schema: {
        tags,
        summary:
          "Promote the version active in `from` to `to` (the policy of `to` names its source); same checks as activation",
        params: configPathParams,
        body: promoteBody,
        response: activationResponses,
      },
    },
    async (request, reply) => {
      const { strategy, config_id } = request.params;
      const outcome = await activation.request({
        strategy,
        configId: config_id,
        environment: request.body.to,
        from: request.body.from,
        expectedActive: expectedActiveFrom(request.headers["if-match"], request.body.expected_active),
        freezeOverrideReason: request.body.freeze_override_reason,
        actor: requestActor(request),
      });
      return answerActivation(reply, { configs: service, changeRequests }, strategy, config_id, outcome);
    },
  );

  r.post(
    "/api/v1/configs/:strategy/:config_id/deprecate",
    {
      config: { action: "configs.deprecate" },
      schema: {
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
