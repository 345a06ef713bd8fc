/**
 * @module A dialog that holds one form: opened by its trigger with the form reset to its initial
 * values, submitted with the form's own validation, the server's field errors placed at their
 * fields (the rest shown above the buttons), closed when the submission succeeds. Every admin
 * dialog (new user, role, password, new token, freeze window) is one of these.
 */
import type { ComponentProps, ReactNode } from "react";
import { useState } from "react";
import type { DefaultValues, FieldValues, Path, UseFormReturn } from "react-hook-form";
import { showServerErrors } from "@/lib/form-errors";
import { ErrorState } from "./states";
import { Button } from "./ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "./ui/dialog";

export interface FormDialogProps<T extends FieldValues, R> {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  title: string;
  description?: ReactNode;
  form: UseFormReturn<T, unknown, R>;
  /** The values the form starts from each time the dialog opens. */
  initial: () => DefaultValues<T>;
  /** Sends the valid values; resolves "keep-open" to stay (to show a result), else the dialog closes. */
  onSubmit(values: R): Promise<unknown>;
  /** Form fields the server's field errors may name; a 409 goes to `conflictField`. */
  serverFields: readonly Path<T>[];
  conflictField?: Path<T>;
  submitLabel: string;
  pendingLabel: string;
  /** The form's fields. */
  children: ReactNode;
  /** Shown instead of the form once submitted, while the dialog stays open (a token's secret). */
  result?: ReactNode;
  /** Called when the dialog closes, whatever closed it. */
  onClosed?(): void;
  contentProps?: Omit<ComponentProps<typeof DialogContent>, "title" | "description" | "children">;
}

export function FormDialog<T extends FieldValues, R>({
  trigger,
  title,
  description,
  form,
  initial,
  onSubmit,
  serverFields,
  conflictField,
  submitLabel,
  pendingLabel,
  children,
  result,
  onClosed,
  contentProps,
}: FormDialogProps<T, R>) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const { isSubmitting } = form.formState;

  const openChange = (next: boolean) => {
    setOpen(next);
    setFailure(null);
    if (next) form.reset(initial());
    else onClosed?.();
  };
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      if ((await onSubmit(values)) !== "keep-open") openChange(false);
    } catch (error) {
      if (!showServerErrors(error, form.setError, serverFields, conflictField)) setFailure(error);
    }
  });

  return (
    <Dialog open={open} onOpenChange={openChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} description={description} {...contentProps}>
        {result ?? (
          <form onSubmit={submit} className="space-y-4" noValidate>
            {children}
            {failure !== null && <ErrorState error={failure} />}
            <div className="flex flex-wrap justify-end gap-2">
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button type="submit" disabled={isSubmitting}>
                {isSubmitting ? pendingLabel : submitLabel}
              </Button>
            </div>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
