/**
 * @module A governed write (activation, restore, policy, catalog…): the server applies it (200/201)
 * or makes it a change request (202). `governed` calls the API and tells the two apart, so that no
 * page can take a proposal for a change that was applied.
 */
import type { ChangeRequest } from "@tradai/core";
import { type ApiRequest, apiWithStatus } from "./api";

export type Governed<T> =
  | { outcome: "applied"; value: T }
  | { outcome: "proposed"; changeRequest: ChangeRequest; created: boolean };

export type Proposal = Extract<Governed<unknown>, { outcome: "proposed" }>;

/**
 * Calls the API; a 202 is the change request the change became.
 * @example
 * const result = await governed<EnvironmentView>("/api/v1/environments/prod", { method: "PUT", body });
 * if (result.outcome === "proposed") showRequest(result.changeRequest.id);
 */
export async function governed<T>(path: string, request: ApiRequest = {}): Promise<Governed<T>> {
  const { status, body } = await apiWithStatus<T | { change_request: ChangeRequest; created: boolean }>(path, request);
  if (status === 202 && body && typeof body === "object" && "change_request" in body) {
    return { outcome: "proposed", changeRequest: body.change_request, created: body.created };
  }
  return { outcome: "applied", value: body as T };
}
