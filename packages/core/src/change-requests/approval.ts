/** @module Which changes need four eyes. */
import { diffLeafPaths, type ValuesDiff } from "../runs/diff.js";

/**
 * The critical parameters a diff touches. A changed path touches a parameter when it is the
 * parameter, lies inside it (`risk.stoploss.value` inside `risk.stoploss`), or contains it (a
 * whole `risk` value replaced by a scalar); an added or removed object, by its leaves only.
 */
export function touchedCriticalParameters(diff: ValuesDiff, critical: readonly string[]): string[] {
  const paths = diffLeafPaths(diff);
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
