/** @module A parameter form's values as the config data they stand for. */
import { isPlainObject } from "@tradai/core";

/** The form's values as config data: unset (undefined) values left out, and groups they emptied. */
export function configDataOf(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      const inner = configDataOf(value);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = value;
  }
  return out;
}
