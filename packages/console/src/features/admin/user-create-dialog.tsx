/** @module "New user": username, role and first password, checked with the server's createUserBody schema. */
import { zodResolver } from "@hookform/resolvers/zod";
import { createUserBody } from "@tradai/core";
import { UserPlus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { showServerErrors } from "@/lib/form-errors";
import { RoleSelect } from "./role-select";
import { type NewUser, useCreateUser } from "./user-create-mutation";

const EMPTY: NewUser = { username: "", role: "viewer", password: "" };

export function UserCreateDialog() {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const create = useCreateUser();
  const form = useForm<NewUser>({ resolver: zodResolver(createUserBody), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const user = await create.mutateAsync(values);
      toast(`User ${user.username} created as ${user.role}`);
      setOpen(false);
      form.reset(EMPTY);
    } catch (error) {
      if (!showServerErrors(error, form.setError, ["username", "role", "password"], "username")) setFailure(error);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset(EMPTY);
          setFailure(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm">
          <UserPlus aria-hidden /> New user
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New user"
        description="They sign in with this name and password; tell them the password by a safe channel."
      >
        <form onSubmit={submit} className="space-y-4" noValidate>
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
              {isSubmitting ? "Creating…" : "Create user"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
