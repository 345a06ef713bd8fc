/** @module Puts the server's problem+json field errors next to the form fields they name. */
import type { FieldError } from "@tradai/core";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError } from "./api";

/**
 * Sets each field error the server gave on the form field `fieldOf` finds for it (the first one
 * placed gets the focus).
 * @returns whether every field error found a field (otherwise the caller shows the whole problem)
 * @example
 * placeFieldErrors(error, form.setError, (e) => (e.location === "body" ? draftFieldOf(e.field) : undefined));
 */
export function placeFieldErrors<T extends FieldValues>(
  error: ApiError,
  setError: UseFormSetError<T>,
  fieldOf: (e: FieldError) => Path<T> | undefined,
): boolean {
  let placed = 0;
  for (const e of error.fieldErrors) {
    const field = fieldOf(e);
    if (!field) continue;
    setError(field, { type: "server", message: e.message }, { shouldFocus: placed === 0 });
    placed++;
  }
  return placed > 0 && placed === error.fieldErrors.length;
}

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
  return placeFieldErrors(error, setError, (e) => fields.find((f) => f === e.field));
}
