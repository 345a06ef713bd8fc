/**
 * @module The effect of a change: which resolved configs it alters (strategy x environment, before
 * and after), what it changes in governance, and so whether it needs four eyes. A change request
 * is bound to the hash of its effect: it is applied only while it still has exactly that effect.
 */
import { contentHash } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";
import type { ValuesDiff } from "../runs/diff.js";
import type { PolicyGovernance, Weakening } from "./governance.js";

/** One resolved config as a change found it or left it. */
export interface ResolvedSide {
  config_id: string;
  resolved_hash: string;
}

export interface ResolvedChange {
  strategy: string;
  environment: string;
  /** null: nothing resolved (no active version, or a required value missing) */
  before: ResolvedSide | null;
  after: ResolvedSide | null;
  diff: ValuesDiff;
  /** the critical parameters whose resolved value changed */
  critical: string[];
  /** Only some workers' config: those a staged rollout assigns (absent: every worker of the pair). */
  cohort?: RolloutCohort;
}

/** The workers of a pair a change alters when a staged rollout moves (issue 19). */
export interface RolloutCohort {
  rollout_id: string;
  /** the rollout's step (0-based) in force after the change */
  step: number;
  /**
   * assign: workers the step newly assigns move to the rollout's version;
   * update: the assigned workers' config changes (the layers under the rollout's version moved);
   * restore: the assigned workers return to the version active for all (rolled back or aborted).
   */
  kind: "assign" | "update" | "restore";
  /** which workers, in words: "the workers with canary=true", "25% of the workers" */
  workers: string;
}

/** A return of a rollout's workers to the version active for all: approved already, allowed in a freeze. */
export const restoresActive = (r: ResolvedChange) => r.cohort?.kind === "restore";

export interface ChangeEffect {
  /** the resolved configs whose hash or version changed, by environment then strategy */
  resolved: ResolvedChange[];
  /** what changed in policies and critical-parameter rules, by subject */
  governance: Record<string, unknown>;
  weakenings: Weakening[];
}

export const isEmptyEffect = (effect: ChangeEffect) =>
  effect.resolved.length === 0 && Object.keys(effect.governance).length === 0;

/** SHA-256 of what the change does: the same change on the same state always has the same hash. */
export function effectHash(effect: ChangeEffect): string {
  return contentHash({
    resolved: effect.resolved.map((r) => ({
      strategy: r.strategy,
      environment: r.environment,
      before: r.before ? { config_id: r.before.config_id, resolved_hash: r.before.resolved_hash } : null,
      after: r.after ? { config_id: r.after.config_id, resolved_hash: r.after.resolved_hash } : null,
      ...(r.cohort ? { cohort: { ...r.cohort } } : {}),
    })),
    governance: effect.governance,
  } as unknown as JsonValue);
}

export interface ApprovalNeed {
  /** why, one sentence each */
  reasons: string[];
  /** the environments whose rules ask for it */
  environments: string[];
  /** distinct people other than the proposer who must approve (the most any of those asks) */
  approvals_required: number;
}

/**
 * Whether a change needs four eyes, judged on its effect: it alters a resolved config in an
 * environment that requires approval, alters a critical parameter's resolved value anywhere, or
 * weakens governance (which always needs a second person). null: it does not.
 */
export function approvalNeed(effect: ChangeEffect, policies: Record<string, PolicyGovernance>): ApprovalNeed | null {
  const reasons: string[] = [];
  const environments = new Set<string>();
  const everywhere = Object.keys(policies);
  // The workers of a rollout going back to the active version go back to what was approved.
  const judged = effect.resolved.filter((r) => !restoresActive(r));
  for (const env of [...new Set(judged.map((r) => r.environment))]) {
    if (policies[env]?.requires_approval) {
      reasons.push(`${env} requires approval`);
      environments.add(env);
    }
  }
  for (const r of judged) {
    if (r.critical.length === 0) continue;
    reasons.push(`critical parameters change in ${r.environment} (${r.strategy}): ${r.critical.join(", ")}`);
    environments.add(r.environment);
  }
  for (const w of effect.weakenings) {
    reasons.push(`weakens governance: ${w.subject} ${w.what}`);
    for (const env of w.environment ? [w.environment] : everywhere) environments.add(env);
  }
  if (reasons.length === 0) return null;
  const envs = [...environments].sort();
  const approvals = Math.max(1, ...envs.map((env) => policies[env]?.approvals_required ?? 1));
  return { reasons, environments: envs, approvals_required: approvals };
}
