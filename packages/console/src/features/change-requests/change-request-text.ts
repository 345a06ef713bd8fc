/** @module What a change request is about, in words: its kind, and the environments it concerns. */
import type { ChangeRequest } from "@tradai/core";

export const KIND_TITLES: Record<ChangeRequest["kind"], string> = {
  activation: "Activation",
  promotion: "Promotion",
  environment_base: "Base values",
  environment_policy: "Environment policy",
  catalog: "Catalog change",
  import: "Import from the legacy configuration",
  rollout: "Staged rollout",
};

/**
 * "staging → prod" for a promotion, the environment it is about, or (a catalog change, which alters
 * several) every environment whose rules ask for the approval.
 */
export function environmentsText(cr: ChangeRequest): string {
  if (cr.kind === "promotion" && cr.from_environment) return `${cr.from_environment} → ${cr.environment}`;
  if (cr.environment) return cr.environment;
  return cr.environments.length > 0 ? cr.environments.join(", ") : "—";
}
