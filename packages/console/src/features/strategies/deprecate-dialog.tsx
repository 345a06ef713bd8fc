/** @module Deprecate a version: a reason, and a confirmation, because it is final in every environment. */
import { useState } from "react";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/input";
import { useDeprecateMutation } from "./deprecate-mutation";

export function DeprecateAction({
  strategy,
  configId,
  environment,
  final,
}: {
  strategy: string;
  configId: string;
  environment: string;
  /** Already deprecated for good: only the outcome of this page's request is shown. */
  final: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const deprecate = useDeprecateMutation();
  return (
    <>
      {!final && (
        <Dialog open={open} onOpenChange={setOpen}>
          <DialogTrigger asChild>
            <Button variant="destructive">Deprecate</Button>
          </DialogTrigger>
          <DialogContent
            title={`Deprecate ${configId}?`}
            description="This is final: the version can never be activated again, in any environment. Where it is active, that environment is left with no active version of the strategy."
          >
            <form
              className="space-y-3"
              onSubmit={(event) => {
                event.preventDefault();
                deprecate.mutate(
                  { strategy, configId, environment, ...(reason.trim() ? { reason: reason.trim() } : {}) },
                  { onSuccess: () => setOpen(false) },
                );
              }}
            >
              <Field label="Reason" description="Recorded in the audit trail (optional).">
                {(control) => (
                  <Textarea {...control} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
                )}
              </Field>
              {deprecate.error && <ErrorState error={deprecate.error} />}
              <div className="flex flex-wrap justify-end gap-2">
                <DialogClose asChild>
                  <Button variant="outline">Cancel</Button>
                </DialogClose>
                <Button type="submit" variant="destructive" disabled={deprecate.isPending}>
                  {deprecate.isPending ? "Deprecating…" : "Deprecate for good"}
                </Button>
              </div>
            </form>
          </DialogContent>
        </Dialog>
      )}
      {deprecate.data && (
        <Alert tone="success" data-testid="deprecate-result">
          {deprecate.data.changed
            ? `${configId} is deprecated for good.`
            : `${configId} was already deprecated; nothing changed.`}
        </Alert>
      )}
    </>
  );
}
