/** @module The HTTP answer to an activation request: 200 with the version, or 202 with the change request. */
import { activateConfigResponse, changeRequestAccepted } from "@tradai/core";
import type { FastifyReply } from "fastify";
import { problemResponses } from "../../http/openapi.js";
import type { ChangeRequestService } from "../change-requests/service.js";
import type { ConfigService } from "../configs/service.js";
import type { ActivationOutcome } from "./service.js";

/** The responses of every route that asks for an activation (activate, promote, rollback, restore). */
export const activationResponses = {
  200: activateConfigResponse,
  202: changeRequestAccepted,
  ...problemResponses(403, 404, 409, 412, 422, 423),
};

export async function answerActivation(
  reply: FastifyReply,
  deps: { configs: ConfigService; changeRequests: ChangeRequestService },
  strategy: string,
  configId: string,
  outcome: ActivationOutcome,
) {
  if (outcome.outcome === "change_request") {
    const change_request = await deps.changeRequests.show(outcome.change_request_id);
    return reply.status(202).send({ change_request, created: outcome.created });
  }
  const version = await deps.configs.show(strategy, configId, outcome.environment);
  return reply
    .status(200)
    .send({ ...version, changed: outcome.changed, previous_config_id: outcome.previous_config_id });
}
