/** @module Values of nested config data by dotted parameter name (`risk.stoploss` -> data.risk.stoploss). */

/** A JSON object (not null, not an array). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at `name`, or `{ found: false }` when any step is missing or not an object. */
export function valueAt(data: unknown, name: string): { found: true; value: unknown } | { found: false } {
  let node: unknown = data;
  for (const part of name.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) {
      return { found: false };
    }
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

/** The cartesian product of the lists, in order: [[1,2],["a"]] -> [[1,"a"],[2,"a"]]. */
export function cartesian<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}

/** `{ "risk.stoploss": -0.02 }` -> `{ risk: { stoploss: -0.02 } }` */
export function nestDotted(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1) as string] = value;
  }
  return root;
}
