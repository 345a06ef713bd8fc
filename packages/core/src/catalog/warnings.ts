/**
 * @module What the catalog warns of in a resolved config: a deprecated parameter or a deprecated
 * value in use, a key no parameter describes (when the catalog describes the strategy at all). A
 * required parameter without a value never resolves (409), so it never reaches a worker. Live
 * workers refuse a config with any warning; paper workers apply it and warn.
 */
import { z } from "zod";
import { uncataloguedKeys } from "./compile.js";
import { appliesTo, type CatalogParameter, deprecatedValue } from "./parameter.js";
import { valueAt } from "./paths.js";

export const CATALOG_WARNING_KINDS = [
  "deprecated_key",
  "deprecated_value",
  "uncatalogued",
  "missing_required",
] as const;

export const catalogWarning = z.object({
  key: z.string(),
  kind: z.enum(CATALOG_WARNING_KINDS),
  message: z.string(),
});
export type CatalogWarning = z.infer<typeof catalogWarning>;

export function catalogWarnings(
  catalog: readonly CatalogParameter[],
  strategy: string,
  values: Record<string, unknown>,
): CatalogWarning[] {
  const mine = catalog.filter((p) => appliesTo(p, strategy));
  if (mine.length === 0) return []; // the catalog does not describe this strategy: nothing to warn against
  const warnings: CatalogWarning[] = [];
  for (const p of mine) {
    const found = valueAt(values, p.name);
    if (!found.found) {
      if (p.required && !p.deprecated)
        warnings.push({ key: p.name, kind: "missing_required", message: `${p.name} is required and has no value` });
      continue;
    }
    if (p.deprecated) {
      const instead = p.replacement ? ` (use ${p.replacement})` : "";
      warnings.push({
        key: p.name,
        kind: "deprecated_key",
        message: `${p.name} is deprecated${instead}${p.reason ? `: ${p.reason}` : ""}`,
      });
      continue;
    }
    const old = deprecatedValue(p, found.value);
    if (old) {
      warnings.push({
        key: p.name,
        kind: "deprecated_value",
        message: `${p.name} = ${JSON.stringify(found.value)} is deprecated (use ${JSON.stringify(old.replacement)}): ${old.reason}`,
      });
    }
  }
  for (const key of uncataloguedKeys(mine, strategy, values)) {
    warnings.push({ key, kind: "uncatalogued", message: `${key} is not in the catalog` });
  }
  return warnings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
