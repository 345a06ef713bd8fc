/**
 * @module What became of an activation, promotion or rollback: applied (200), a change request
 * opened (202), or refused: conflict (409), stale (412), frozen (423, with the window, and an
 * override reason where the permission table allows it).
 */
import { Alert } from "@/components/ui/alert";
import { GovernedRefusal } from "../governance/governed-refusal";
import { ProposedChange } from "../governance/proposed-change";
import type { ActivationResult } from "./activation-mutation";

export function ActivationResultView({ result }: { result: ActivationResult }) {
  if (result.outcome === "proposed") return <ProposedChange proposal={result} data-testid="activation-result" />;
  const version = result.value;
  return (
    <Alert tone="success" data-testid="activation-result" data-outcome="applied">
      {version.changed ? (
        <>
          Applied: <code>{version.config_id}</code> is now active in <strong>{result.environment}</strong>
          {version.previous_config_id ? (
            <>
              {" "}
              (it replaced <code>{version.previous_config_id}</code>)
            </>
          ) : null}
          .
        </>
      ) : (
        <>
          <code>{version.config_id}</code> was already active in <strong>{result.environment}</strong>; nothing changed.
        </>
      )}
    </Alert>
  );
}

export function ActivationErrorView({
  error,
  environment,
  onOverride,
}: {
  error: unknown;
  environment: string;
  onOverride?: ((reason: string) => void) | undefined;
}) {
  return (
    <GovernedRefusal
      error={error}
      environments={[environment]}
      frozenHeadline={`${environment} is frozen: nothing can be activated there now.`}
      onOverride={onOverride}
      testId="activation-error"
    />
  );
}
