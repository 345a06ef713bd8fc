/** @module Resetting a user's password (updateUserBody's password rule); their sessions end. */
import { zodResolver } from "@hookform/resolvers/zod";
import { type User, updateUserBody } from "@tradai/core";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type UserChange, useUpdateUser } from "./user-update-mutation";

export function UserPasswordDialog({ user }: { user: User }) {
  const update = useUpdateUser(user.username);
  const form = useForm<UserChange>({ resolver: zodResolver(updateUserBody), defaultValues: { password: "" } });
  const { errors } = form.formState;
  return (
    <FormDialog
      trigger={
        <Button size="sm" variant="outline" aria-label={`Reset password of ${user.username}`}>
          Password
        </Button>
      }
      title={`Reset the password of ${user.username}`}
      description="Every session of theirs ends; tell them the new password by a safe channel."
      form={form}
      initial={() => ({ password: "" })}
      onSubmit={async (values) => {
        await update.mutateAsync({ password: values.password });
        toast(`The password of ${user.username} was reset; their sessions ended`);
      }}
      serverFields={["password"]}
      submitLabel="Reset password"
      pendingLabel="Saving…"
    >
      <Field label="New password" error={errors.password?.message} description="At least 12 characters">
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />}
      </Field>
    </FormDialog>
  );
}
