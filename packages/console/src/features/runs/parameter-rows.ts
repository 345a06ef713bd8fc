/** @module A parameter set's values as rows: each leaf by dotted path, with the layer that gave it. */
import type { ParameterSet } from "@tradai/core";

export interface ParameterRow {
  path: string;
  value: unknown;
  provenance: string | undefined;
}

/** Objects are walked to their leaves; arrays and scalars are one row. Provenance is by path, else by its top-level key. */
export function parameterRows(ps: ParameterSet): ParameterRow[] {
  const rows: ParameterRow[] = [];
  const walk = (value: unknown, path: string) => {
    if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
      return;
    }
    rows.push({ path, value, provenance: ps.provenance[path] ?? ps.provenance[path.split(".")[0] as string] });
  };
  for (const [key, value] of Object.entries(ps.values)) walk(value, key);
  return rows.sort((a, b) => a.path.localeCompare(b.path));
}
