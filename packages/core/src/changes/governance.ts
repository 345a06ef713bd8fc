/**
 * @module The governance state a change is judged against (environment policies and the catalog's
 * critical parameters), and what makes a change weaken it. Pure: the server reads the state before
 * and after a change and asks these functions what happened.
 */
import { canonicalJson } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";
import type { CatalogParameter } from "../catalog/parameter.js";

export interface PolicyGovernance {
  requires_approval: boolean;
  approvals_required: number;
  break_glass_allowed: boolean;
}

/** What of a parameter's definition governs it: criticality, and the bounds a critical value keeps. */
export type ParameterGovernance = Pick<
  CatalogParameter,
  "criticality" | "type" | "min" | "max" | "step" | "allowed" | "strategies" | "immutable"
>;

export interface GovernanceState {
  policies: Record<string, PolicyGovernance>;
  parameters: Record<string, ParameterGovernance>;
}

/** The governing part of a definition (fields a definition leaves out stay out). */
export function parameterGovernance(p: CatalogParameter): ParameterGovernance {
  const { criticality, type, min, max, step, allowed, strategies, immutable } = p;
  const all = { criticality, type, min, max, step, allowed, strategies, immutable };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as ParameterGovernance;
}

/** One way a change loosens the rules: who must approve what, or what a critical value may be. */
export interface Weakening {
  /** `policy prod`, `parameter stoploss` */
  subject: string;
  environment: string | null;
  what: string;
}

const same = (a: unknown, b: unknown) =>
  canonicalJson((a ?? null) as JsonValue) === canonicalJson((b ?? null) as JsonValue);

function policyWeakenings(env: string, before: PolicyGovernance, after: PolicyGovernance | undefined): Weakening[] {
  const found: Weakening[] = [];
  const add = (what: string) => found.push({ subject: `policy ${env}`, environment: env, what });
  if (!after) return found;
  if (before.requires_approval && !after.requires_approval) add("turns approval off");
  if (after.approvals_required < before.approvals_required)
    add(`lowers approvals_required from ${before.approvals_required} to ${after.approvals_required}`);
  if (!before.break_glass_allowed && after.break_glass_allowed) add("allows break-glass");
  return found;
}

/** A critical parameter's rules loosened: criticality lowered, bounds or allowed values widened. */
function parameterWeakenings(name: string, before: ParameterGovernance, after: ParameterGovernance | undefined) {
  const found: Weakening[] = [];
  const add = (what: string) => found.push({ subject: `parameter ${name}`, environment: null, what });
  if (before.criticality !== "critical" || !after) return found;
  if (after.criticality !== "critical") add("lowers its criticality from critical to normal");
  if (after.type !== before.type) add(`changes its type from ${before.type} to ${after.type}`);
  if (before.min !== undefined && (after.min === undefined || after.min < before.min))
    add(`widens min from ${before.min} to ${after.min ?? "none"}`);
  if (before.max !== undefined && (after.max === undefined || after.max > before.max))
    add(`widens max from ${before.max} to ${after.max ?? "none"}`);
  if (before.step !== undefined && !same(before.step, after.step))
    add(`changes step from ${before.step} to ${after.step ?? "none"}`);
  if (before.allowed !== undefined) {
    const added = after.allowed === undefined ? null : after.allowed.filter((v) => !before.allowed?.includes(v));
    if (added === null) add("drops its allowed values");
    else if (added.length > 0) add(`allows more values: ${added.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  const applies = (s: string[]) => (s.length === 0 ? null : new Set(s));
  const [was, is] = [applies(before.strategies), applies(after.strategies)];
  if (is !== null && (was === null || [...was].some((s) => !is.has(s)))) add("applies to fewer strategies");
  if (before.immutable && !after.immutable) add("is no longer immutable");
  return found;
}

/** Every way the change from `before` to `after` weakens governance (empty: none). */
export function governanceWeakenings(before: GovernanceState, after: GovernanceState): Weakening[] {
  return [
    ...Object.entries(before.policies).flatMap(([env, p]) => policyWeakenings(env, p, after.policies[env])),
    ...Object.entries(before.parameters).flatMap(([name, p]) => parameterWeakenings(name, p, after.parameters[name])),
  ];
}

/** What changed in the governance state, by subject (for the effect a change request is bound to). */
export function governanceChanges(before: GovernanceState, after: GovernanceState): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const compare = (kind: string, a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!same(a[key], b[key])) changes[`${kind} ${key}`] = { old: a[key] ?? null, new: b[key] ?? null };
    }
  };
  compare("policy", before.policies, after.policies);
  compare("parameter", before.parameters, after.parameters);
  return changes;
}

/** The critical parameters (by name) that apply to a strategy, in either state. */
export function criticalParametersOf(strategy: string, ...states: GovernanceState[]): string[] {
  const names = new Set<string>();
  for (const state of states) {
    for (const [name, p] of Object.entries(state.parameters)) {
      if (p.criticality === "critical" && (p.strategies.length === 0 || p.strategies.includes(strategy)))
        names.add(name);
    }
  }
  return [...names].sort();
}
