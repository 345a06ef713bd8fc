/**
 * @module HTTP routes of activation: activate, promote, roll back, and restore from the audit
 * trail. Each answers 200 with the version now active, or 202 with the change request it became.
 */
import {
  activationOptions,
  configPathParams,
  environmentQuery,
  promoteBody,
  restoreBody,
  rollbackBody,
  strategyPathParams,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import type { ShowChangeRequest } from "../../http/proposal-answer.js";
import type { ConfigService } from "../configs/service.js";
import { activationResponses, answerActivation } from "./answer.js";
import { expectedActiveFrom } from "./if-match.js";
import type { ActivationService } from "./service.js";

export interface ActivationRouteDeps {
  activation: ActivationService;
  configs: ConfigService;
  showChangeRequest: ShowChangeRequest;
}

export function activationRoutes(app: FastifyInstance, deps: ActivationRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { activation } = deps;
  const tags = ["configs"];

  r.post(
    "/api/v1/configs/:strategy/:config_id/activate",
    {
      config: { action: "configs.activate", environment: "query.environment" },
      schema: {
        operationId: "activateConfigVersion",
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
      return answerActivation(reply, deps, strategy, outcome);
    },
  );

  r.post(
    "/api/v1/configs/:strategy/rollback",
    {
      config: { action: "configs.rollback", environment: "query.environment" },
      schema: {
        operationId: "rollbackConfigVersion",
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
      return answerActivation(reply, deps, request.params.strategy, outcome);
    },
  );

  r.post(
    "/api/v1/configs/:strategy/:config_id/promote",
    {
      config: { action: "configs.promote", environment: ["body.to", "body.from"] },
      schema: {
        operationId: "promoteConfigVersion",
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
      return answerActivation(reply, deps, strategy, outcome);
    },
  );

  r.post(
    "/api/v1/audit/:seq/restore",
    {
      config: { action: "audit.restore", environment: "body.environment" },
      schema: {
        operationId: "restoreConfigVersionFromAudit",
        tags: ["audit"],
        summary:
          "From a config.create entry: a version with that content, made active in one change (approvals and freezes apply: 200 or 202)",
        params: z.object({ seq: z.coerce.number().int().positive() }),
        body: restoreBody,
        response: activationResponses,
      },
    },
    async (request, reply) => {
      const restored = await activation.restore(request.params.seq, requestActor(request), {
        environment: request.body?.environment,
        expectedActive: request.body?.expected_active,
        freezeOverrideReason: request.body?.freeze_override_reason,
      });
      return answerActivation(reply, deps, restored.strategy, restored);
    },
  );
}
