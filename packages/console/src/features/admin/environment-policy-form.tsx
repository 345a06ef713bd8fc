/**
 * @module An environment's policy: approval, approvals required, promotion source, break-glass.
 * Admins edit it (environmentPolicy schema from core); a save carries the updated_at the form was
 * loaded from, and a change made by someone else in between is shown, never overwritten. A change
 * that weakens governance is not saved but proposed: the change request is shown, and the form
 * goes back to the policy in force.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { type EnvironmentPolicy, type EnvironmentView, environmentPolicy } from "@tradai/core";
import { useEffect, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { SwitchField } from "@/components/switch-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { ApiError } from "@/lib/api";
import { showServerErrors } from "@/lib/form-errors";
import { formatTime } from "@/lib/format";
import type { Proposal } from "@/lib/governed";
import { ProposedChange } from "../governance/proposed-change";
import { useUpdatePolicy } from "./environment-policy-mutation";

export const policyOf = (e: EnvironmentView): EnvironmentPolicy => ({
  requires_approval: e.requires_approval,
  approvals_required: e.approvals_required,
  promote_from: e.promote_from,
  break_glass_allowed: e.break_glass_allowed,
});

function LastChange({ environment }: { environment: EnvironmentView }) {
  return (
    <p className="text-xs text-muted-foreground">
      {environment.updated_at
        ? `Policy last changed ${formatTime(environment.updated_at)} by ${environment.updated_by ?? "unknown"}`
        : "Policy as set up; never changed here"}
    </p>
  );
}

/** The policy as text, for whoever may not change it. */
export function EnvironmentPolicySummary({ environment }: { environment: EnvironmentView }) {
  return (
    <div className="space-y-2">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">Requires approval</dt>
        <dd>{environment.requires_approval ? "yes" : "no"}</dd>
        <dt className="text-muted-foreground">Approvals required</dt>
        <dd>{environment.approvals_required}</dd>
        <dt className="text-muted-foreground">Promote from</dt>
        <dd>{environment.promote_from ?? "none"}</dd>
        <dt className="text-muted-foreground">Break glass allowed</dt>
        <dd>{environment.break_glass_allowed ? "yes" : "no"}</dd>
      </dl>
      <LastChange environment={environment} />
    </div>
  );
}

export function EnvironmentPolicyForm({ environment, names }: { environment: EnvironmentView; names: string[] }) {
  const update = useUpdatePolicy(environment.name);
  const [failure, setFailure] = useState<unknown>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  // The updated_at the form's values were read at: the server refuses the save if it moved since.
  const [base, setBase] = useState(environment.updated_at);
  const form = useForm<EnvironmentPolicy>({
    resolver: zodResolver(environmentPolicy),
    defaultValues: policyOf(environment),
  });
  const { errors, isSubmitting, isDirty } = form.formState;

  // Someone else's change (or this one's answer) shows at once unless the admin is mid-edit.
  useEffect(() => {
    if (!form.formState.isDirty) {
      form.reset(policyOf(environment));
      setBase(environment.updated_at);
    }
  }, [environment, form]);

  const loadCurrent = () => {
    form.reset(policyOf(environment));
    setBase(environment.updated_at);
    setFailure(null);
  };

  const submit = form.handleSubmit(async (policy) => {
    setFailure(null);
    setProposal(null);
    try {
      const outcome = await update.mutateAsync({ policy, expectedUpdatedAt: base });
      if (outcome.outcome === "proposed") {
        // Nothing changed yet: the form shows the policy in force again, the request under it.
        form.reset(policyOf(environment));
        setBase(environment.updated_at);
        // No toast: the request stands under the form, with its link, for as long as the page is open.
        setProposal(outcome);
        return;
      }
      const saved = outcome.value;
      form.reset(policyOf(saved));
      setBase(saved.updated_at);
      toast(`Policy of ${saved.name} saved`);
    } catch (error) {
      const fields = ["requires_approval", "approvals_required", "promote_from", "break_glass_allowed"] as const;
      if (!showServerErrors(error, form.setError, fields)) setFailure(error);
    }
  });

  const conflict = failure instanceof ApiError && (failure.status === 412 || failure.status === 409);
  const sources = names.filter((n) => n !== environment.name);

  return (
    <form onSubmit={submit} className="space-y-4" noValidate aria-label={`Policy of ${environment.name}`}>
      <div className="grid gap-4 sm:grid-cols-2">
        <SwitchField
          control={form.control}
          name="requires_approval"
          label="Requires approval"
          error={errors.requires_approval?.message}
          description="Any change to what it resolves becomes a change request that others approve"
          sayState
        />
        <Field
          label="Approvals required"
          error={errors.approvals_required?.message}
          description="Distinct approvers, not the author (1 to 10)"
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              min={1}
              max={10}
              step={1}
              className="w-24"
              {...form.register("approvals_required", { valueAsNumber: true })}
            />
          )}
        </Field>
        <Field
          label="Promote from"
          error={errors.promote_from?.message}
          description="The environment whose versions are promoted here"
        >
          {(control) => (
            <Controller
              control={form.control}
              name="promote_from"
              render={({ field }) => (
                <Select
                  {...control}
                  className="w-auto min-w-40"
                  value={field.value ?? ""}
                  onChange={(e) => field.onChange(e.target.value || null)}
                  onBlur={field.onBlur}
                >
                  <option value="">none</option>
                  {sources.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </Select>
              )}
            />
          )}
        </Field>
        <SwitchField
          control={form.control}
          name="break_glass_allowed"
          label="Break glass allowed"
          error={errors.break_glass_allowed?.message}
          description="An admin may apply a pending change request without approval, with a reason"
          sayState
        />
      </div>
      <p className="text-xs text-muted-foreground">
        Turning approval off, lowering the approvals required or allowing break-glass is itself proposed: another person
        approves it before it applies.
      </p>
      <LastChange environment={environment} />
      {proposal && <ProposedChange proposal={proposal} data-testid="policy-change-result" />}
      {conflict ? (
        <Alert tone="danger">
          <p className="font-medium">Not saved: the policy was changed by someone else meanwhile.</p>
          <p>{(failure as ApiError).message}</p>
          <Button size="sm" variant="outline" className="mt-2" onClick={loadCurrent}>
            Load the current policy (drops your edits)
          </Button>
        </Alert>
      ) : (
        failure !== null && <ErrorState error={failure} />
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={isSubmitting || !isDirty}>
          {isSubmitting ? "Saving…" : "Save policy"}
        </Button>
        {isDirty && (
          <Button variant="outline" onClick={loadCurrent}>
            Discard changes
          </Button>
        )}
      </div>
    </form>
  );
}
