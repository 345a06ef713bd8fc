/** @module Resetting a user's password (updateUserBody's password rule); their sessions end. */
import { zodResolver } from "@hookform/resolvers/zod";
import { type User, updateUserBody } from "@tradai/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { showServerErrors } from "@/lib/form-errors";
import { type UserChange, useUpdateUser } from "./user-update-mutation";

export function UserPasswordDialog({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const update = useUpdateUser(user.username);
  const form = useForm<UserChange>({ resolver: zodResolver(updateUserBody), defaultValues: { password: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await update.mutateAsync({ password: values.password });
      toast(`The password of ${user.username} was reset; their sessions ended`);
      setOpen(false);
    } catch (error) {
      if (!showServerErrors(error, form.setError, ["password"])) setFailure(error);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          form.reset({ password: "" });
          setFailure(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`Reset password of ${user.username}`}>
          Password
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Reset the password of ${user.username}`}
        description="Every session of theirs ends; tell them the new password by a safe channel."
      >
        <form onSubmit={submit} className="space-y-4" noValidate>
          <Field label="New password" error={errors.password?.message} description="At least 12 characters">
            {(control) => (
              <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />
            )}
          </Field>
          {failure !== null && <ErrorState error={failure} />}
          <div className="flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Saving…" : "Reset password"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
