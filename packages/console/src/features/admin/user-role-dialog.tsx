/** @module Changing a user's role (updateUserBody); their sessions end so the new role applies at once. */
import { zodResolver } from "@hookform/resolvers/zod";
import { type User, updateUserBody } from "@tradai/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { showServerErrors } from "@/lib/form-errors";
import { RoleSelect } from "./role-select";
import { type UserChange, useUpdateUser } from "./user-update-mutation";

export function UserRoleDialog({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const update = useUpdateUser(user.username);
  const form = useForm<UserChange>({ resolver: zodResolver(updateUserBody), defaultValues: { role: user.role } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const changed = await update.mutateAsync({ role: values.role });
      toast(`${changed.username} is now ${changed.role}`);
      setOpen(false);
    } catch (error) {
      if (!showServerErrors(error, form.setError, ["role"])) setFailure(error);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          form.reset({ role: user.role });
          setFailure(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`Change role of ${user.username}`}>
          Role
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Change the role of ${user.username}`}
        description="Their sessions end: they sign in again with the new role."
      >
        <form onSubmit={submit} className="space-y-4" noValidate>
          <Field label="Role" error={errors.role?.message}>
            {(control) => <RoleSelect {...control} {...form.register("role")} />}
          </Field>
          {failure !== null && <ErrorState error={failure} />}
          <div className="flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Saving…" : "Change role"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
