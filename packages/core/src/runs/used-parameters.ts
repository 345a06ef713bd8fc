/**
 * @module What a parameter set keeps of the catalog: for each parameter the values use, its
 * definition's rules as they were when the set was made (type, bounds, allowed values, reload
 * class, criticality, deprecation, comparability), so a set read years later still says what its
 * values meant.
 */
import { appliesTo, type CatalogParameter } from "../catalog/parameter.js";
import { valueAt } from "../catalog/paths.js";
import type { UsedParameter } from "./parameter-set.js";

export function usedParameters(
  parameters: readonly CatalogParameter[],
  strategy: string,
  values: Record<string, unknown>,
): Record<string, UsedParameter> {
  const used: Record<string, UsedParameter> = {};
  for (const p of [...parameters].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!appliesTo(p, strategy) || !valueAt(values, p.name).found) continue;
    const entry: UsedParameter = {
      type: p.type,
      reload: p.reload,
      criticality: p.criticality,
      deprecated: p.deprecated,
    };
    if (p.min !== undefined) entry.min = p.min;
    if (p.max !== undefined) entry.max = p.max;
    if (p.step !== undefined) entry.step = p.step;
    if (p.allowed !== undefined) entry.allowed = p.allowed;
    if (p.deprecated_values !== undefined) entry.deprecated_values = p.deprecated_values;
    if (p.comparability !== undefined) entry.comparability = p.comparability;
    used[p.name] = entry;
  }
  return used;
}
