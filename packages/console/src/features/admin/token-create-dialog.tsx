/**
 * @module "New token": a service account's name, roles (a trading process: `worker`), environments
 * and expiry, checked with the server's createTokenBody schema; then its secret, shown once.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { createTokenBody, ROLES, type Role } from "@tradai/core";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { Controller, type Resolver, useForm } from "react-hook-form";
import { Field } from "@/components/field";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { DialogClose } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { useEnvironments } from "../environments/environments-query";
import { type CreatedToken, type NewToken, useCreateToken } from "./token-create-mutation";
import { TokenSecret } from "./token-secret";

interface TokenForm {
  name: string;
  roles: Role[];
  /** None ticked: every environment (the API's "omitted"). */
  environments: string[];
  expires_in_days: number;
}

const EMPTY: TokenForm = { name: "", roles: ["worker"], environments: [], expires_in_days: 90 };

const schemaResolver = zodResolver(createTokenBody);
const resolver: Resolver<TokenForm, unknown, NewToken> = (values, context, options) =>
  schemaResolver(
    { ...values, environments: values.environments.length > 0 ? values.environments : undefined },
    context,
    options as never,
  ) as never;

function toggle<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
  description,
}: {
  legend: string;
  options: readonly T[];
  value: T[];
  onChange(next: T[]): void;
  error?: string | undefined;
  description: string;
}) {
  const id = legend.toLowerCase().replace(/\W+/g, "-");
  return (
    <fieldset className="space-y-1.5" aria-describedby={`${id}-description${error ? ` ${id}-error` : ""}`}>
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1.5">
        {options.map((option) => (
          <label key={option} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-blue-700"
              checked={value.includes(option)}
              onChange={(e) => onChange(toggle(value, option, e.currentTarget.checked))}
            />
            {option}
          </label>
        ))}
      </div>
      <p id={`${id}-description`} className="text-xs text-muted-foreground">
        {description}
      </p>
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function TokenCreateDialog() {
  // The secret lives here only, for as long as the dialog is open.
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useCreateToken();
  const environments = useEnvironments();
  const names = environments.data?.items.map((e) => e.name) ?? [];
  const form = useForm<TokenForm, unknown, NewToken>({ resolver, defaultValues: EMPTY });
  const { errors } = form.formState;
  return (
    <FormDialog
      trigger={
        <Button size="sm">
          <KeyRound aria-hidden /> New token
        </Button>
      }
      title={created ? `Token ${created.name} created` : "New service token"}
      description={created ? undefined : "For a trading process (role worker), CI or a script: not for a person."}
      form={form}
      initial={() => EMPTY}
      onSubmit={async (values) => {
        setCreated(await create.mutateAsync(values));
        return "keep-open";
      }}
      serverFields={["name", "roles", "expires_in_days"]}
      conflictField="name"
      submitLabel="Create token"
      pendingLabel="Creating…"
      onClosed={() => {
        setCreated(null);
        create.reset();
      }}
      result={
        created && (
          <div className="space-y-4">
            <TokenSecret name={created.name} secret={created.token} />
            <div className="flex justify-end">
              <DialogClose asChild>
                <Button>I have copied it, close</Button>
              </DialogClose>
            </div>
          </div>
        )
      }
      // A stray click must not throw away a secret that is never shown again.
      contentProps={{ onInteractOutside: (e) => created && e.preventDefault() }}
    >
      <Field
        label="Name"
        error={errors.name?.message}
        description="Lower-case letters, digits, '.', '_' or '-'; a revoked token's name is not reused"
      >
        {(control) => <Input {...control} autoComplete="off" {...form.register("name")} />}
      </Field>
      <Controller
        control={form.control}
        name="roles"
        render={({ field }) => (
          <CheckboxGroup
            legend="Roles"
            options={ROLES}
            value={field.value}
            onChange={field.onChange}
            error={errors.roles?.message}
            description="At least one. A trading process needs only worker."
          />
        )}
      />
      <Controller
        control={form.control}
        name="environments"
        render={({ field }) => (
          <CheckboxGroup
            legend="Environments"
            options={names}
            value={field.value}
            onChange={field.onChange}
            error={errors.environments?.message}
            description="None ticked: every environment, including ones added later."
          />
        )}
      />
      <Field label="Expires in (days)" error={errors.expires_in_days?.message} description="1 to 3650 days">
        {(control) => (
          <Input
            {...control}
            type="number"
            min={1}
            max={3650}
            step={1}
            {...form.register("expires_in_days", { valueAsNumber: true })}
          />
        )}
      </Field>
    </FormDialog>
  );
}
