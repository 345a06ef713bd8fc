/**
 * @module A change refused because an environment it alters is frozen (423): the server's detail
 * naming the window, the active windows of those environments, and, only for whom the permission
 * table allows `freezes.override`, a reason to override the freeze with.
 */
import { useState } from "react";
import { Field } from "@/components/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import type { ApiError } from "@/lib/api";
import { formatTime } from "@/lib/format";
import { useEnvironments } from "../environments/environments-query";
import { useCan } from "../session/can";

export interface FrozenRefusalProps {
  error: ApiError;
  /** The environments the change alters; null: any (a catalog change alters every environment). */
  environments: readonly string[] | null;
  /** The headline, e.g. "prod is frozen: nothing can be activated there now." */
  headline: string;
  /** Sends the change again with this override reason; absent: no override is offered. */
  onOverride?: ((reason: string) => void) | undefined;
  testId?: string;
}

export function FrozenRefusal({ error, environments, headline, onOverride, testId }: FrozenRefusalProps) {
  const known = useEnvironments();
  const canOverride = useCan("freezes.override");
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const frozen = (known.data?.items ?? []).filter((e) => environments === null || environments.includes(e.name));
  const windows = frozen.flatMap((e) => e.freeze_windows.filter((w) => w.active_now));
  return (
    <Alert tone="danger" data-testid={testId} data-status={423}>
      <p className="font-medium">{headline}</p>
      <p>{error.problem.detail}</p>
      {windows.length > 0 && (
        <ul className="mt-1 list-disc pl-5" aria-label="Active freeze windows">
          {windows.map((w) => (
            <li key={w.id}>
              {w.environment}: freeze window {w.id} ({w.reason}), until {formatTime(w.active_until)}
            </li>
          ))}
        </ul>
      )}
      {canOverride && onOverride && (
        // Not a <form>: the refusal may stand inside the form whose change was refused.
        <div className="mt-2 space-y-2">
          <Field
            label="Override reason (admin)"
            description="Recorded in the audit trail and announced."
            error={touched && !reason.trim() ? "say why the freeze must be overridden" : undefined}
          >
            {(control) => <Textarea {...control} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <Button
            variant="destructive"
            size="sm"
            onClick={() => {
              setTouched(true);
              if (reason.trim()) onOverride(reason.trim());
            }}
          >
            Override the freeze
          </Button>
        </div>
      )}
    </Alert>
  );
}
