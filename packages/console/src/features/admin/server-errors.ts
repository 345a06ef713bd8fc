/** @module Puts the server's problem+json field errors next to the form fields they name. */
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError } from "@/lib/api";

/**
 * Sets each field error the server gave on the form field of that name; a 409 conflict (a name that
 * exists) goes to `conflictField` with the server's message.
 * @returns whether the whole problem was placed at fields (otherwise the caller shows it with ErrorState)
 * @example
 * if (!showServerErrors(error, form.setError, ["username", "password"], "username")) setFailure(error);
 */
export function showServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  conflictField?: Path<T>,
): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 409 && conflictField) {
    setError(conflictField, { type: "server", message: error.message });
    return true;
  }
  const placed = error.fieldErrors.filter((e) => (fields as readonly string[]).includes(e.field));
  for (const e of placed) setError(e.field as Path<T>, { type: "server", message: e.message });
  return placed.length > 0 && placed.length === error.fieldErrors.length;
}
