/** @module A labelled form field with its description and its error (client-side or the server's). */
import { type ReactNode, useId } from "react";
import { cn } from "@/lib/utils";
import { Label } from "./ui/label";

export interface FieldProps {
  label: ReactNode;
  /** The control; it receives the id, describedby and invalid attributes. */
  children: (control: { id: string; "aria-describedby"?: string; "aria-invalid": boolean }) => ReactNode;
  description?: ReactNode;
  error?: string;
  className?: string;
  /** Controls placed next to the label (badges). */
  aside?: ReactNode;
}

export function Field({ label, children, description, error, className, aside }: FieldProps) {
  const id = useId();
  const descriptionId = description ? `${id}-description` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [descriptionId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <div className="flex flex-wrap items-center gap-2">
        <Label htmlFor={id}>{label}</Label>
        {aside}
      </div>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": Boolean(error) })}
      {description && (
        <p id={descriptionId} className="text-xs text-muted-foreground">
          {description}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
