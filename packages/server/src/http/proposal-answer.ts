/**
 * @module The HTTP answer of a change that became a change request: 202 with the request, the same
 * for every route whose change may need four eyes (activation, base values, policy, catalog).
 */
import { type ChangeRequest, changeRequestAccepted } from "@tradai/core";
import type { FastifyReply } from "fastify";

/** Reads a change request as the API shows it (the change-requests feature provides it). */
export type ShowChangeRequest = (id: number) => Promise<ChangeRequest>;

export const proposedResponse = { 202: changeRequestAccepted };

export async function answerProposed(
  reply: FastifyReply,
  show: ShowChangeRequest,
  proposed: { change_request_id: number; created: boolean },
) {
  return reply.status(202).send({ change_request: await show(proposed.change_request_id), created: proposed.created });
}
