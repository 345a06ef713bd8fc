/** @module "New user": username, role and first password, checked with the server's createUserBody schema. */
import { zodResolver } from "@hookform/resolvers/zod";
import { createUserBody } from "@tradai/core";
import { UserPlus } from "lucide-react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { RoleSelect } from "./role-select";
import { type NewUser, useCreateUser } from "./user-create-mutation";

const EMPTY: NewUser = { username: "", role: "viewer", password: "" };

export function UserCreateDialog() {
  const create = useCreateUser();
  const form = useForm<NewUser>({ resolver: zodResolver(createUserBody), defaultValues: EMPTY });
  const { errors } = form.formState;
  return (
    <FormDialog
      trigger={
        <Button size="sm">
          <UserPlus aria-hidden /> New user
        </Button>
      }
      title="New user"
      description="They sign in with this name and password; tell them the password by a safe channel."
      form={form}
      initial={() => EMPTY}
      onSubmit={async (values) => {
        const user = await create.mutateAsync(values);
        toast(`User ${user.username} created as ${user.role}`);
      }}
      serverFields={["username", "role", "password"]}
      conflictField="username"
      submitLabel="Create user"
      pendingLabel="Creating…"
    >
      <Field
        label="Username"
        error={errors.username?.message}
        description="Lower-case letters, digits, '.', '_' or '-'"
      >
        {(control) => <Input {...control} autoComplete="off" {...form.register("username")} />}
      </Field>
      <Field label="Role" error={errors.role?.message}>
        {(control) => <RoleSelect {...control} {...form.register("role")} />}
      </Field>
      <Field label="Password" error={errors.password?.message} description="At least 12 characters">
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />}
      </Field>
    </FormDialog>
  );
}
