/** @module Which changes need four eyes. */
import type { ValuesDiff } from "../runs/diff.js";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An added or removed object stands for each of its leaves (`risk` = {a: 1} is `risk.a`). */
function leafPaths(path: string, value: unknown): string[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return [path];
  return Object.entries(value).flatMap(([key, inner]) => leafPaths(`${path}.${key}`, inner));
}

/**
 * The critical parameters a diff touches. A changed path touches a parameter when it is the
 * parameter, lies inside it (`risk.stoploss.value` inside `risk.stoploss`), or contains it (a
 * whole `risk` value replaced by a scalar); an added or removed object, by its leaves only.
 */
export function touchedCriticalParameters(diff: ValuesDiff, critical: readonly string[]): string[] {
  const paths = [
    ...Object.entries(diff.added).flatMap(([path, value]) => leafPaths(path, value)),
    ...Object.entries(diff.removed).flatMap(([path, value]) => leafPaths(path, value)),
    ...Object.keys(diff.changed),
  ];
  return critical
    .filter((name) => paths.some((path) => path === name || path.startsWith(`${name}.`) || name.startsWith(`${path}.`)))
    .sort();
}

/** Why an activation needs approval (empty: it does not). */
export function approvalReasons(a: {
  environment: string;
  requiresApproval: boolean;
  criticalTouched: readonly string[];
}): string[] {
  const reasons: string[] = [];
  if (a.requiresApproval) reasons.push(`${a.environment} requires approval`);
  if (a.criticalTouched.length > 0) reasons.push(`critical parameters change: ${a.criticalTouched.join(", ")}`);
  return reasons;
}
