/** @module The HTTP answer to an activation request: 200 with the version, or 202 with the change request. */
import { activateConfigResponse } from "@tradai/core";
import type { FastifyReply } from "fastify";
import { problemResponses } from "../../http/openapi/responses.js";
import { answerProposed, proposedResponse, type ShowChangeRequest } from "../../http/proposal-answer.js";
import type { ConfigService } from "../configs/service.js";
import type { ActivationOutcome } from "./service.js";

/** The responses of every route that asks for an activation (activate, promote, rollback, restore). */
export const activationResponses = {
  200: activateConfigResponse,
  ...proposedResponse,
  ...problemResponses(403, 404, 409, 412, 422, 423),
};

export async function answerActivation(
  reply: FastifyReply,
  deps: { configs: ConfigService; showChangeRequest: ShowChangeRequest },
  strategy: string,
  outcome: ActivationOutcome,
) {
  if (outcome.outcome === "change_request") return answerProposed(reply, deps.showChangeRequest, outcome);
  const version = await deps.configs.show(strategy, outcome.config_id, outcome.environment);
  return reply
    .status(200)
    .send({ ...version, changed: outcome.changed, previous_config_id: outcome.previous_config_id });
}
