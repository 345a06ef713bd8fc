/**
 * @module Undo an import (admin), confirmed first: what becomes active again and which versions are
 * deprecated; the server's refusal (409: undone already, later changes stand on it, nothing was
 * active before) shown in the dialog, named.
 */
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { ImportRefusal } from "./import-refusal";
import type { AppliedImport, UndoResult } from "./import-types";
import { useUndoImport } from "./undo-mutation";

export function UndoImportDialog({ item, onUndone }: { item: AppliedImport; onUndone(result: UndoResult): void }) {
  const [open, setOpen] = useState(false);
  const undo = useUndoImport();
  const id = item.import_id as string;
  const made = new Set(item.steps.filter((s) => s.action === "create").map((s) => s.config_id)).size;
  const { action, config_id: activated, previous } = item.activation;

  const confirm = async () => {
    try {
      onUndone(await undo.mutateAsync(id));
      setOpen(false);
    } catch {
      // shown in the dialog (undo.error)
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) undo.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`Undo the import into ${item.strategy} (${item.environment})`}>
          Undo…
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Undo the import into ${item.strategy}?`}
        description={
          <>
            Through history: nothing is deleted. The {made} version(s) it made are deprecated (their content and legacy
            provenance stay)
            {action === "activate" && previous ? (
              <>
                , and <span className="font-mono">{previous}</span> is active in {item.environment} again instead of{" "}
                <span className="font-mono">{activated}</span>
              </>
            ) : null}
            .
          </>
        }
      >
        {action === "activate" && !previous && (
          <Alert tone="warning" className="mb-3">
            Nothing was active for {item.strategy} in {item.environment} before this import: undoing it would leave
            nothing to resolve there, so the server will refuse.
          </Alert>
        )}
        {undo.error && (
          <div className="mb-3">
            <ImportRefusal error={undo.error} environment={item.environment} />
          </div>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" onClick={confirm} disabled={undo.isPending}>
            {undo.isPending ? "Undoing…" : "Undo the import"}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}

/** What an undo did. */
export function UndoOutcome({ result }: { result: UndoResult }) {
  return (
    <Alert tone="success" data-testid="undo-outcome">
      <p className="font-medium">
        Import into {result.strategy} ({result.environment}) undone
        {result.reactivated ? (
          <>
            : <span className="font-mono">{result.reactivated}</span> is active there again
          </>
        ) : null}
        .
      </p>
      <p>
        {result.deprecated.length} version(s) deprecated
        {result.deprecated.length > 0 && (
          <>
            : <span className="font-mono">{result.deprecated.slice(0, 5).join(", ")}</span>
            {result.deprecated.length > 5 && ` and ${result.deprecated.length - 5} more`}
          </>
        )}
        .
      </p>
    </Alert>
  );
}
