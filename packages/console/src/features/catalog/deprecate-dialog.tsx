/**
 * @module Deprecate a parameter, naming its replacement and why (POST .../deprecate), validated by
 * core's schema. The replacement is picked from the catalog's live parameters (a native select: no
 * typos, and nothing a browser's autocomplete can swap under the user). What became of it (applied, or a change request) goes to the page; a refusal
 * stays in the dialog.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { deprecateParameterBody } from "@tradai/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Input, Select } from "@/components/ui/input";
import { placeFieldErrors } from "@/lib/form-errors";
import type { CatalogChangeOutcome } from "./catalog-change";
import { CatalogChangeFeedback } from "./catalog-change-feedback";
import { useCatalogChange } from "./catalog-change-flow";
import { useDeprecateParameter } from "./parameter-deprecate-mutation";

type Deprecation = z.infer<typeof deprecateParameterBody>;
type DeprecationForm = { replacement: string; reason: string };

export function DeprecateDialog({
  name,
  replacements,
  onDone,
}: {
  name: string;
  replacements: string[];
  onDone(outcome: CatalogChangeOutcome): void;
}) {
  const [open, setOpen] = useState(false);
  const form = useForm<DeprecationForm, unknown, Deprecation>({
    resolver: (values, ctx, options) =>
      zodResolver(deprecateParameterBody)(
        { reason: values.reason, ...(values.replacement ? { replacement: values.replacement } : {}) },
        ctx,
        options as never,
      ),
    defaultValues: { replacement: "", reason: "" },
  });
  const change = useCatalogChange(useDeprecateParameter(name), {
    onDone: (outcome) => {
      setOpen(false);
      onDone(outcome);
    },
    placeFieldErrors: (error) =>
      placeFieldErrors(error, form.setError, (e) =>
        e.field === "replacement" || e.field === "reason" ? e.field : undefined,
      ),
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit((how) => change.send({ how }));
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) change.reset();
      }}
    >
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
              <Select {...control} {...form.register("replacement")}>
                <option value="">None</option>
                {replacements.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Reason" error={errors.reason?.message}>
            {(control) => <Input {...control} autoComplete="off" {...form.register("reason")} />}
          </Field>
          <CatalogChangeFeedback state={change.state} />
          <Button type="submit" variant="destructive" disabled={isSubmitting || change.state.pending}>
            {isSubmitting ? "Deprecating…" : "Deprecate parameter"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
