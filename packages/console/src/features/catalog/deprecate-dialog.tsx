/** @module Deprecate a parameter, naming its replacement and why (POST .../deprecate), validated by core's schema. */
import { zodResolver } from "@hookform/resolvers/zod";
import { deprecateParameterBody } from "@tradai/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { ApiError } from "@/lib/api";
import { useDeprecateParameter } from "./catalog-mutations";
import { ForceChange, isForcible } from "./force-change";

type Deprecation = z.infer<typeof deprecateParameterBody>;

export function DeprecateDialog({ name, replacements }: { name: string; replacements: string[] }) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [forcible, setForcible] = useState<{ error: ApiError; how: Deprecation } | null>(null);
  const deprecate = useDeprecateParameter(name);
  const form = useForm<{ replacement: string; reason: string }, unknown, Deprecation>({
    resolver: (values, ctx, options) =>
      zodResolver(deprecateParameterBody)(
        { reason: values.reason, ...(values.replacement ? { replacement: values.replacement } : {}) },
        ctx,
        options as never,
      ),
    defaultValues: { replacement: "", reason: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (how) => {
    setFailure(null);
    setForcible(null);
    try {
      await deprecate.mutateAsync({ how });
      setOpen(false);
    } catch (error) {
      if (isForcible(error)) {
        setForcible({ error, how });
        return;
      }
      let unplaced = true;
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        unplaced = false;
        for (const e of error.fieldErrors) {
          if (e.field === "replacement" || e.field === "reason") form.setError(e.field, { message: e.message });
          else unplaced = true;
        }
      }
      setFailure(unplaced ? error : null);
    }
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="destructive">Deprecate</Button>
      </DialogTrigger>
      <DialogContent
        title={`Deprecate ${name}`}
        description="New config versions that set it are refused, naming the replacement."
      >
        <form onSubmit={submit} noValidate className="space-y-3">
          <Field
            label="Replacement"
            description="The parameter to use instead (optional)"
            error={errors.replacement?.message}
          >
            {(control) => (
              <Input {...control} list="replacement-options" autoComplete="off" {...form.register("replacement")} />
            )}
          </Field>
          <datalist id="replacement-options">
            {replacements.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          <Field label="Reason" error={errors.reason?.message}>
            {(control) => <Input {...control} autoComplete="off" {...form.register("reason")} />}
          </Field>
          {failure !== null && <ErrorState error={failure} />}
          {forcible && (
            <ForceChange
              error={forcible.error}
              onForce={async (forceReason) => {
                await deprecate.mutateAsync({ how: forcible.how, forceReason });
                setOpen(false);
              }}
            />
          )}
          <Button type="submit" variant="destructive" disabled={isSubmitting}>
            {isSubmitting ? "Deprecating…" : "Deprecate parameter"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
