/**
 * @module What became of an activation, promotion or rollback: applied (200), a change request
 * opened (202), or refused: conflict (409), stale (412), frozen (423, with the window, and an
 * override reason for admins).
 */
import { useState } from "react";
import { Link } from "react-router";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { ApiError } from "@/lib/api";
import { formatTime } from "@/lib/format";
import { useEnvironments } from "../environments/environments-query";
import { useCan } from "../session/session-query";
import type { ActivationResult } from "./activation-mutation";

export function ActivationResultView({ result }: { result: ActivationResult }) {
  if (result.outcome === "applied") {
    const { version } = result;
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
            <code>{version.config_id}</code> was already active in <strong>{result.environment}</strong>; nothing
            changed.
          </>
        )}
      </Alert>
    );
  }
  const cr = result.changeRequest;
  return (
    <Alert tone="warning" data-testid="activation-result" data-outcome="change_request">
      <p className="font-medium">
        Not applied yet:{" "}
        {result.created ? "a change request was opened" : "an identical change request is already pending"} for{" "}
        <code>{cr.config_id}</code> in <strong>{cr.environment}</strong>.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {cr.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <p className="mt-1">
        It needs {cr.approvals_required} approval{cr.approvals_required === 1 ? "" : "s"} by someone other than{" "}
        {cr.author} ({cr.approvals} so far).{" "}
        <Link className="font-medium underline" to={`/change-requests/${cr.id}`}>
          Open change request #{cr.id}
        </Link>
      </p>
    </Alert>
  );
}

function FrozenView({
  error,
  environment,
  onOverride,
}: {
  error: ApiError;
  environment: string;
  onOverride?: ((reason: string) => void) | undefined;
}) {
  const environments = useEnvironments();
  const canOverride = useCan("freezes.override");
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const windows =
    environments.data?.items.find((e) => e.name === environment)?.freeze_windows.filter((w) => w.active_now) ?? [];
  return (
    <Alert tone="danger" data-testid="activation-error" data-status={423}>
      <p className="font-medium">{environment} is frozen: nothing can be activated there now.</p>
      <p>{error.problem.detail}</p>
      {windows.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {windows.map((w) => (
            <li key={w.id}>
              Freeze window {w.id} ({w.reason}), until {formatTime(w.active_until)}
            </li>
          ))}
        </ul>
      )}
      {canOverride && onOverride && (
        <form
          className="mt-2 space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            setTouched(true);
            if (reason.trim()) onOverride(reason.trim());
          }}
        >
          <Field
            label="Override reason (admin)"
            description="Recorded in the audit trail and announced."
            error={touched && !reason.trim() ? "say why the freeze must be overridden" : undefined}
          >
            {(control) => <Textarea {...control} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <Button type="submit" variant="destructive" size="sm">
            Override the freeze
          </Button>
        </form>
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
  if (error instanceof ApiError) {
    if (error.status === 423) return <FrozenView error={error} environment={environment} onOverride={onOverride} />;
    if (error.status === 409 || error.status === 412) {
      return (
        <Alert tone="danger" data-testid="activation-error" data-status={error.status}>
          <p className="font-medium">
            {error.status === 412
              ? "Someone else changed what is active; reload and decide again."
              : `Refused (${error.problem.title.toLowerCase()}).`}
          </p>
          <p>{error.problem.detail}</p>
        </Alert>
      );
    }
  }
  return <ErrorState error={error} />;
}
