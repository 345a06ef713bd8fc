/**
 * @module A catalog change as the API takes it: every change (parameter, deprecation, rule, policy)
 * is a governed write that is applied (a new revision), or becomes a change request (202). Two
 * options ride on the query string: `force_reason` (apply although active versions become
 * invalid) and `freeze_override_reason` (admins: apply although an environment is frozen).
 */
import type { CatalogChangeResponse } from "@tradai/core";
import type { ApiRequest } from "@/lib/api";
import { type Governed, governed } from "@/lib/governed";

/** What every catalog change may carry besides its own fields. */
export interface CatalogChangeOptions {
  forceReason?: string | undefined;
  freezeOverrideReason?: string | undefined;
}

export type CatalogChangeOutcome = Governed<CatalogChangeResponse>;

/** Sends one catalog change with its options. */
export function sendCatalogChange(
  path: string,
  method: NonNullable<ApiRequest["method"]>,
  body: unknown,
  options: CatalogChangeOptions,
): Promise<CatalogChangeOutcome> {
  return governed<CatalogChangeResponse>(path, {
    method,
    ...(body === undefined ? {} : { body }),
    query: { force_reason: options.forceReason, freeze_override_reason: options.freezeOverrideReason },
  });
}

export const parameterPath = (name: string) => `/api/v1/catalog/parameters/${encodeURIComponent(name)}`;
