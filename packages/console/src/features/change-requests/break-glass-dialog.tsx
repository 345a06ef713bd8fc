/** @module Break glass: an admin applies a pending change request without approval, with a reason. */
import { breakGlassBody, type ChangeRequest } from "@tradai/core";
import { useState } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/input";
import { useReviewMutation } from "./review-mutation";
import { ReviewRefusal } from "./review-refusal";

export function BreakGlassAction({ request }: { request: ChangeRequest }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const breakGlass = useReviewMutation(request.id);
  return (
    <div className="space-y-2">
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button variant="outline">Break glass</Button>
        </DialogTrigger>
        <DialogContent
          title={`Apply change request #${request.id} without approval?`}
          description={`${request.summary}: applied at once, without the approvals. Audited and announced; use it only in an emergency.`}
        >
          <form
            className="space-y-3"
            onSubmit={(event) => {
              event.preventDefault();
              const parsed = breakGlassBody.safeParse({ reason: reason.trim() });
              if (!parsed.success) return setError(parsed.error.issues[0]?.message);
              setError(undefined);
              breakGlass.mutate(
                { decision: "break-glass", reason: parsed.data.reason },
                { onSuccess: () => setOpen(false) },
              );
            }}
          >
            <Field label="Reason" error={error}>
              {(control) => (
                <Textarea {...control} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
              )}
            </Field>
            <div className="flex flex-wrap justify-end gap-2">
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="destructive" disabled={breakGlass.isPending}>
                Apply now
              </Button>
            </div>
          </form>
        </DialogContent>
      </Dialog>
      {breakGlass.error && (
        <ReviewRefusal
          request={request}
          error={breakGlass.error}
          onOverride={(r) =>
            breakGlass.mutate({ decision: "break-glass", reason: reason.trim(), freezeOverrideReason: r })
          }
        />
      )}
    </div>
  );
}
