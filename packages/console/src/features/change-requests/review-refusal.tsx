/**
 * @module Why applying a change request (the last approval, or break-glass) was refused: frozen
 * (423: the override is offered where allowed), stale or conflicting (409/412, the server's detail).
 */
import type { ChangeRequest } from "@tradai/core";
import { GovernedRefusal } from "../governance/governed-refusal";

export function ReviewRefusal({
  request,
  error,
  onOverride,
}: {
  request: ChangeRequest;
  error: unknown;
  onOverride?: ((reason: string) => void) | undefined;
}) {
  // A catalog change alters every environment: any freeze may stop it.
  const environments =
    request.kind === "catalog" ? null : request.environment ? [request.environment] : request.environments;
  const where = environments ? environments.join(", ") : "an environment it alters";
  return (
    <GovernedRefusal
      error={error}
      environments={environments}
      frozenHeadline={`${where} is frozen: change request #${request.id} cannot be applied now.`}
      onOverride={onOverride}
      testId="review-error"
    />
  );
}
