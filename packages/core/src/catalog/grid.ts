/**
 * @module The values a sweep tries for a parameter, read from the catalog: an enum's or list's
 * allowed values, both booleans, every step of a numeric range; narrowed to its `variants` where it
 * has some; never a deprecated value. A catalog edit changes the next sweep's grid.
 */

import { type CatalogParameter, deprecatedValue } from "./parameter.js";
import { cartesian } from "./paths.js";
import { valueSchema } from "./value-schema.js";

/** More points than this per parameter is a range too fine to sweep. */
export const MAX_VALUES_PER_PARAMETER = 1000;

/** The values a sweep tries for `p`, or why it cannot be swept. */
export function sweepValues(p: CatalogParameter): { values: unknown[] } | { problem: string } {
  if (p.deprecated) return { problem: `${p.name} is deprecated${p.replacement ? `; sweep ${p.replacement}` : ""}` };
  let values: unknown[] | undefined;
  if (p.allowed && p.type !== "list") values = [...p.allowed];
  else if (p.type === "bool") values = [false, true];
  else if (
    (p.type === "int" || p.type === "number") &&
    p.step !== undefined &&
    p.min !== undefined &&
    p.max !== undefined
  ) {
    const count = Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
    if (count > MAX_VALUES_PER_PARAMETER)
      return {
        problem: `${p.name} has ${count} steps from ${p.min} to ${p.max} (at most ${MAX_VALUES_PER_PARAMETER})`,
      };
    const [min, step] = [p.min, p.step];
    // Computed from min, not accumulated, and rounded to 12 significant digits: 0.1 + 2 * 0.1 is 0.3.
    values = Array.from({ length: count }, (_, i) => Number.parseFloat((min + i * step).toPrecision(12)));
  }
  if (p.variants?.length) {
    const valid = valueSchema(p);
    values = p.variants.filter((v) => valid.safeParse(v).success);
  }
  if (!values) {
    return {
      problem: `${p.name} has no values to sweep: give it allowed values, a step with min and max, or variants`,
    };
  }
  const live = values.filter((v) => !deprecatedValue(p, v));
  if (live.length === 0) return { problem: `${p.name} has no value left to sweep that is not deprecated` };
  return { values: live };
}

/** Every combination of the parameters' sweep values, in order (the first parameter slowest). */
export function sweepGrid(parameters: readonly CatalogParameter[]): {
  combinations: Record<string, unknown>[];
  problems: { name: string; message: string }[];
} {
  const lists: unknown[][] = [];
  const problems: { name: string; message: string }[] = [];
  for (const p of parameters) {
    const found = sweepValues(p);
    if ("problem" in found) problems.push({ name: p.name, message: found.problem });
    else lists.push(found.values);
  }
  if (problems.length > 0) return { combinations: [], problems };
  const combinations = cartesian(lists).map((combo) =>
    Object.fromEntries(parameters.map((p, i) => [p.name, combo[i]])),
  );
  return { combinations, problems };
}
