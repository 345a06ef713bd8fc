/** @module Roll back an environment to the version the current one replaced (confirm first). */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { useActivationMutation } from "./activation-mutation";
import { ActivationErrorView, ActivationResultView } from "./activation-outcome";

export function RollbackAction({
  strategy,
  environment,
  activeId,
}: {
  strategy: string;
  environment: string;
  activeId: string;
}) {
  const [open, setOpen] = useState(false);
  const rollback = useActivationMutation();
  return (
    <div className="space-y-2">
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button variant="outline">Roll back {environment}</Button>
        </DialogTrigger>
        <DialogContent
          title={`Roll back ${strategy} in ${environment}?`}
          description={
            <>
              <span className="font-mono">{activeId}</span> is active. The version it replaced becomes active again (or
              a change request is opened where approval is needed).
            </>
          }
        >
          <div className="flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button
              variant="destructive"
              onClick={() => {
                setOpen(false);
                rollback.mutate({ kind: "rollback", strategy, environment });
              }}
            >
              Roll back
            </Button>
          </div>
        </DialogContent>
      </Dialog>
      {rollback.data && <ActivationResultView result={rollback.data} />}
      {rollback.error && (
        <ActivationErrorView
          error={rollback.error}
          environment={environment}
          onOverride={(reason) =>
            rollback.mutate({ kind: "rollback", strategy, environment, freezeOverrideReason: reason })
          }
        />
      )}
    </div>
  );
}
