/**
 * @module The legacy catalog, inferred: `PARAM_OPTIONS` (each parameter's drop-down values, maybe
 * grouped in nested dicts) and `PARAM_DESCRIPTIONS` become catalog parameters: the type from the
 * values (all booleans: bool; integers: int; numbers: number; strings: enum), the values as the
 * allowed ones, the description, the group, the live row's value as the default. What cannot be
 * inferred (a reload class, criticality, bounds, a missing description) is said, for the operator
 * to complete in the file before `tradai catalog import` writes anything.
 */
import {
  type CatalogParameter,
  catalogParameter,
  PARAMETER_NAME_PATTERN,
  type ParameterType,
  valueAt,
} from "@tradai/core";

export interface InferredCatalog {
  parameters: CatalogParameter[];
  /** what could not be inferred, one line each */
  notes: string[];
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `Stop-Loss` -> `stop_loss`: a name the catalog accepts. */
function catalogName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, "_")
    .replace(/^[^a-z]+/, "");
}

function typeOf(values: readonly unknown[]): ParameterType | undefined {
  if (values.length === 0) return undefined;
  if (values.every((v) => typeof v === "boolean")) return "bool";
  if (values.every((v) => Number.isInteger(v))) return "int";
  if (values.every((v) => typeof v === "number")) return "number";
  if (values.every((v) => typeof v === "string")) return "enum";
  return undefined;
}

export function inferCatalog(input: {
  options: unknown;
  descriptions: unknown;
  strategy?: string | undefined;
  /** the live row: each parameter's value there becomes its default */
  current?: Record<string, unknown> | null | undefined;
}): InferredCatalog {
  if (!isPlain(input.options)) throw new Error("PARAM_OPTIONS is not a dict");
  const descriptions = isPlain(input.descriptions) ? input.descriptions : {};
  const notes: string[] = [];
  const flat: { raw: string; group: string | undefined; values: unknown }[] = [];
  for (const [key, value] of Object.entries(input.options)) {
    // A dict of dicts: the outer keys are groups.
    if (isPlain(value) && Object.values(value).every((v) => Array.isArray(v) || isPlain(v)) && !("values" in value)) {
      for (const [inner, options] of Object.entries(value)) flat.push({ raw: inner, group: key, values: options });
    } else flat.push({ raw: key, group: undefined, values: value });
  }
  const parameters: CatalogParameter[] = [];
  for (const { raw, group, values } of flat) {
    const name = catalogName(raw);
    if (!PARAMETER_NAME_PATTERN.test(name)) {
      notes.push(`${raw}: left out, no catalog name can be made of it`);
      continue;
    }
    if (name !== raw) notes.push(`${raw}: named ${name} (catalog names are lower case, digits and _)`);
    const list = Array.isArray(values) ? [...new Set(values)] : [values];
    if (!Array.isArray(values)) notes.push(`${name}: its options are not a list; typed from the one value`);
    const type = typeOf(list) ?? "json";
    if (type === "json")
      notes.push(`${name}: options of mixed types (${JSON.stringify(list).slice(0, 80)}): made json, choose a type`);
    const described = descriptions[raw] ?? descriptions[name];
    if (typeof described !== "string" || described.trim() === "")
      notes.push(`${name}: no description in PARAM_DESCRIPTIONS`);
    const own = input.current ? valueAt(input.current, name) : { found: false as const };
    const allowed = type === "enum" || type === "int" || type === "number" ? list : undefined;
    let fallback: unknown;
    if (own.found && (!allowed || allowed.includes(own.value))) fallback = own.value;
    else if (own.found)
      notes.push(`${name}: the live row's ${JSON.stringify(own.value)} is not among its options: no default`);
    const definition = {
      name,
      type,
      description:
        typeof described === "string" && described.trim() !== "" ? described.trim() : `TODO: describe ${name}`,
      ...(group ? { group: catalogName(group) || "general" } : name.includes(".") ? { group: name.split(".")[0] } : {}),
      ...(allowed ? { allowed: allowed as (string | number)[] } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      ...(input.strategy ? { strategies: [input.strategy] } : {}),
    };
    const parsed = catalogParameter.safeParse(definition);
    if (!parsed.success) {
      notes.push(`${name}: left out: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
      continue;
    }
    parameters.push(parsed.data);
  }
  if (parameters.length > 0) {
    notes.push(
      "every parameter: reload class restart (the safe default: no live change until you say hot, between_trades or shadow), criticality normal, no min/max; review them",
    );
  }
  return { parameters, notes };
}
