/**
 * @module A sweep's grid from the catalog as it is now: the parameters named, each with the values
 * the catalog allows it (see core's sweepValues), every combination. Refused, naming the field,
 * when a parameter is unknown, does not apply, cannot be swept, or the grid is too large.
 */
import { appliesTo, type CatalogParameter, type FieldError, sweepGrid } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";
import { catalogStore } from "./store.js";

export interface Grid {
  revision: number;
  parameters: CatalogParameter[];
  combinations: Record<string, unknown>[];
}

export async function gridOf(
  q: Queryable,
  names: readonly string[],
  strategy: string | undefined,
  where: Pick<FieldError, "location" | "field">,
  max: number,
): Promise<Grid> {
  const store = catalogStore(q);
  const all = await store.parameters();
  const refuse = (message: string) => InvalidInputError.field(where.location, where.field, message);
  const parameters = names.map((name) => {
    const p = all.find((x) => x.name === name);
    if (!p) throw refuse(`no parameter ${name} in the catalog`);
    if (strategy && !appliesTo(p, strategy)) throw refuse(`${name} does not apply to ${strategy}`);
    return p;
  });
  if (new Set(names).size !== names.length) throw refuse("names a parameter twice");
  const { combinations, problems } = sweepGrid(parameters);
  if (problems.length > 0) throw refuse(problems.map((p) => p.message).join("; "));
  if (combinations.length > max)
    throw refuse(`the grid would have ${combinations.length} combinations (at most ${max})`);
  return { revision: await store.currentRevision(), parameters, combinations };
}
