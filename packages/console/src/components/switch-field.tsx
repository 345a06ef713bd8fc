/** @module A labelled on/off field of a react-hook-form form (a Switch under a Field), optionally saying "yes"/"no" beside it. */
import type { ReactNode } from "react";
import { type Control, Controller, type FieldValues, type Path } from "react-hook-form";
import { Field } from "./field";
import { Switch } from "./ui/switch";

export function SwitchField<T extends FieldValues>({
  control,
  name,
  label,
  description,
  error,
  sayState = false,
}: {
  control: Control<T>;
  name: Path<T>;
  label: string;
  description?: ReactNode;
  error?: string | undefined;
  /** Shows "yes" or "no" beside the switch (for sighted users; the switch itself says it to assistive technology). */
  sayState?: boolean;
}) {
  return (
    <Field label={label} description={description} error={error}>
      {(attributes) => (
        <Controller
          control={control}
          name={name}
          render={({ field }) => (
            <span className="flex items-center gap-2">
              <Switch {...attributes} checked={field.value} onCheckedChange={field.onChange} onBlur={field.onBlur} />
              {sayState && (
                <span aria-hidden className="text-sm">
                  {field.value ? "yes" : "no"}
                </span>
              )}
            </span>
          )}
        />
      )}
    </Field>
  );
}
