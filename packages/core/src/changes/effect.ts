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
}

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
  for (const env of [...new Set(effect.resolved.map((r) => r.environment))]) {
    if (policies[env]?.requires_approval) {
      reasons.push(`${env} requires approval`);
      environments.add(env);
    }
  }
  for (const r of effect.resolved) {
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
