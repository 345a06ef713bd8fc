/**
 * @module The restore confirmation: the environment (named in the button), what is active there now,
 * what would change, and whether it applies at once, needs approval, or is frozen.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { type AuditEntry, diffValues, environmentName } from "@tradai/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { DiffTable } from "@/components/diff-table";
import { Field } from "@/components/field";
import { ErrorState, Loading } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Select, Textarea } from "@/components/ui/input";
import { useEnvironment } from "@/features/environments/environment-context";
import { useEnvironments } from "@/features/environments/environments-query";
import { useCan } from "@/features/session/can";
import { useStrategies } from "@/features/strategies/strategies-query";
import { ApiError } from "@/lib/api";
import { useConfigVersion } from "./active-version-query";
import { type RestoreOutcome, useRestoreFromAudit } from "./audit-restore-mutation";
import type { RestorableContent } from "./restorable";

const restoreForm = z.object({
  environment: environmentName,
  /** Only sent, and only offered (to admins), when the environment is frozen. */
  freeze_override_reason: z.string().trim().max(2000).optional(),
});
type RestoreForm = z.infer<typeof restoreForm>;

/** What each refusal means for the person restoring. */
function refusalHint(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 423)
    return "The environment is in a freeze window: nothing was changed. Try again after it ends.";
  if (error.status === 412)
    return "The active version changed while this dialog was open: nothing was changed. Check what is active now and confirm again.";
  if (error.status === 409) return "The server refused this restore as a conflict: nothing was changed.";
  if (error.status === 403) return "You may not restore in this environment.";
  return null;
}

export function RestoreDialog({
  entry,
  content,
  onRestored,
}: {
  entry: AuditEntry;
  content: RestorableContent;
  onRestored(outcome: RestoreOutcome): void;
}) {
  const [open, setOpen] = useState(false);
  const { environment: current } = useEnvironment();
  const environments = useEnvironments();
  const strategies = useStrategies();
  const restore = useRestoreFromAudit();
  const form = useForm<RestoreForm>({ resolver: zodResolver(restoreForm), defaultValues: { environment: current } });
  const environment = form.watch("environment");
  const policy = environments.data?.items.find((e) => e.name === environment);
  const strategy = strategies.data?.items.find((s) => s.strategy_name === content.strategy_name);
  const active = strategy ? (strategy.active[environment] ?? null) : null;
  const activeVersion = useConfigVersion(content.strategy_name, active, environment);
  const errors = form.formState.errors;
  const mayOverride = useCan("freezes.override");

  const submit = form.handleSubmit(async (values) => {
    try {
      const outcome = await restore.mutateAsync({
        seq: entry.seq,
        environment: values.environment,
        expectedActive: active,
        freezeOverrideReason: policy?.frozen ? values.freeze_override_reason || undefined : undefined,
      });
      setOpen(false);
      onRestored(outcome);
    } catch (error) {
      if (error instanceof ApiError) {
        const message = error.messageFor("environment");
        if (message) form.setError("environment", { message });
        const overrideMessage = error.messageFor("freeze_override_reason");
        if (overrideMessage) form.setError("freeze_override_reason", { message: overrideMessage });
      }
    }
  });

  const openChange = (next: boolean) => {
    setOpen(next);
    if (next) {
      restore.reset();
      form.reset({ environment: current });
    }
  };

  return (
    <Dialog open={open} onOpenChange={openChange}>
      <DialogTrigger asChild>
        <Button>Restore this config…</Button>
      </DialogTrigger>
      <DialogContent
        title={`Restore ${content.strategy_name} ${content.config_id ?? ""}`.trim()}
        description={`The content audit entry ${entry.seq} recorded becomes the active version again, through the normal activation: approvals and freeze windows apply.`}
        className="max-w-2xl"
      >
        <form onSubmit={submit} noValidate className="space-y-4">
          <Field label="Environment" error={errors.environment?.message}>
            {(control) => (
              <Select {...control} {...form.register("environment")}>
                {(environments.data?.items ?? []).map((e) => (
                  <option key={e.name} value={e.name}>
                    {e.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {strategies.isPending ? (
            <Loading label="Loading what is active" />
          ) : (
            <p className="text-sm" data-testid="restore-active">
              Active in {environment} now:{" "}
              <span className="font-mono">{strategies.error ? "unknown (see the error)" : (active ?? "none")}</span>
            </p>
          )}
          {strategies.error && <ErrorState error={strategies.error} />}
          {active !== null && active === content.config_id && (
            <Alert tone="info">
              {active} is already the active version in {environment}: restoring it there changes nothing.
            </Alert>
          )}
          {policy?.frozen && (
            <Alert tone="danger">
              {environment} is frozen now: the server will refuse this restore (423)
              {mayOverride ? " unless you give a reason to override the freeze." : "."}
            </Alert>
          )}
          {policy?.frozen && mayOverride && (
            <Field
              label="Freeze override reason (admin)"
              description="Recorded on the activation and in the audit trail, and announced."
              error={errors.freeze_override_reason?.message}
            >
              {(control) => <Textarea {...control} {...form.register("freeze_override_reason")} />}
            </Field>
          )}
          {policy?.requires_approval && !policy.frozen && (
            <Alert tone="warning">
              {environment} requires approval: restoring opens a change request that someone other than you must
              approve.
            </Alert>
          )}
          {active && (
            <div>
              <h3 className="mb-1 text-sm font-semibold">
                What changes in {environment} (active {active} → restored content)
              </h3>
              {activeVersion.isPending ? (
                <Loading label="Loading the active version" />
              ) : activeVersion.error ? (
                <ErrorState error={activeVersion.error} />
              ) : (
                <DiffTable
                  diff={diffValues(activeVersion.data.config_data, content.config_data)}
                  label={`Changes from ${active} to the restored content`}
                />
              )}
            </div>
          )}
          {restore.error && (
            <div className="space-y-1" data-testid="restore-error">
              <ErrorState error={restore.error} />
              {refusalHint(restore.error) && <p className="text-sm font-medium">{refusalHint(restore.error)}</p>}
            </div>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={restore.isPending || strategies.isPending}>
              {restore.isPending ? "Restoring…" : `Restore in ${environment}`}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
