/** @module Changing a user's role (updateUserBody); their sessions end so the new role applies at once. */
import { zodResolver } from "@hookform/resolvers/zod";
import { type User, updateUserBody } from "@tradai/core";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { RoleSelect } from "./role-select";
import { type UserChange, useUpdateUser } from "./user-update-mutation";

export function UserRoleDialog({ user }: { user: User }) {
  const update = useUpdateUser(user.username);
  const form = useForm<UserChange>({ resolver: zodResolver(updateUserBody), defaultValues: { role: user.role } });
  const { errors } = form.formState;
  return (
    <FormDialog
      trigger={
        <Button size="sm" variant="outline" aria-label={`Change role of ${user.username}`}>
          Role
        </Button>
      }
      title={`Change the role of ${user.username}`}
      description="Their sessions end: they sign in again with the new role."
      form={form}
      initial={() => ({ role: user.role })}
      onSubmit={async (values) => {
        const changed = await update.mutateAsync({ role: values.role });
        toast(`${changed.username} is now ${changed.role}`);
      }}
      serverFields={["role"]}
      submitLabel="Change role"
      pendingLabel="Saving…"
    >
      <Field label="Role" error={errors.role?.message}>
        {(control) => <RoleSelect {...control} {...form.register("role")} />}
      </Field>
    </FormDialog>
  );
}
