/**
 * @module Why the server refused a governed change: stale (412: someone changed it meanwhile),
 * conflict (409: e.g. a version active somewhere, a strategy left with nothing to resolve; the
 * server's detail says which), frozen (423, with the window and the override where allowed), or
 * any other problem.
 */
import { ErrorState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { ApiError } from "@/lib/api";
import { FrozenRefusal, type FrozenRefusalProps } from "./frozen-refusal";

/** Whether the error is the server's 423: an environment the change alters is frozen. */
export const isFrozen = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 423;

export function GovernedRefusal({
  error,
  environments,
  frozenHeadline,
  onOverride,
  testId,
}: Omit<FrozenRefusalProps, "error" | "headline"> & { error: unknown; frozenHeadline: string }) {
  if (isFrozen(error)) {
    return (
      <FrozenRefusal
        error={error}
        environments={environments}
        headline={frozenHeadline}
        onOverride={onOverride}
        testId={testId}
      />
    );
  }
  if (error instanceof ApiError && (error.status === 409 || error.status === 412)) {
    return (
      <Alert tone="danger" data-testid={testId} data-status={error.status}>
        <p className="font-medium">
          {error.status === 412
            ? "Someone else changed it meanwhile; reload and decide again."
            : `Refused (${error.problem.title.toLowerCase()}).`}
        </p>
        <p>{error.problem.detail}</p>
      </Alert>
    );
  }
  return <ErrorState error={error} />;
}
