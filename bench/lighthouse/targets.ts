/** @module Issue 22's targets for every console page on Lighthouse's mobile preset. */
import type { PageAudit } from "./audit.js";

export const TARGETS = { performance: 90, accessibility: 100, bestPractices: 95 } as const;

export function meetsTargets(audit: PageAudit): boolean {
  return (
    audit.performance >= TARGETS.performance &&
    audit.accessibility >= TARGETS.accessibility &&
    audit.bestPractices >= TARGETS.bestPractices
  );
}
