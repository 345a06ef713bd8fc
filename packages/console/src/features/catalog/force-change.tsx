/**
 * @module A catalog change the server refused because it would make active versions invalid (409):
 * the server's message naming them, and for an admin who must go ahead anyway a reason, sent
 * as `force_reason` and recorded on the revision.
 */
import { catalogChangeQuery } from "@tradai/core";
import { useState } from "react";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { ApiError } from "@/lib/api";

const reasonSchema = catalogChangeQuery.shape.force_reason.unwrap();

/** Whether the error is the server's "would make active versions invalid" refusal, which force_reason overrides. */
export const isForcible = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status === 409 && (error.problem.detail ?? "").includes("force_reason");

export function ForceChange({
  error,
  pending,
  onForce,
}: {
  error: ApiError;
  pending: boolean;
  onForce: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | undefined>(error.messageFor("force_reason"));
  const force = () => {
    const parsed = reasonSchema.safeParse(reason.trim());
    setProblem(parsed.success ? undefined : parsed.error.issues[0]?.message);
    if (parsed.success) onForce(parsed.data);
  };
  return (
    <div className="space-y-3 rounded-md border border-red-300 p-3" data-testid="force-change">
      <ErrorState error={error} />
      <Field
        label="Reason for forcing"
        description="Applies the change although the versions named above become invalid; the reason is recorded on the revision."
        error={problem}
      >
        {(control) => <Input {...control} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <Button variant="destructive" disabled={pending} onClick={force}>
        {pending ? "Applying…" : "Apply anyway"}
      </Button>
    </div>
  );
}
