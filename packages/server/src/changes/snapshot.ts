/**
 * @module The state a change is judged on, taken before and after its work in the same
 * transaction: the governance state, what resolution depends on, and the resolved config of every
 * pair the change may alter. Their difference is the change's effect.
 */
import {
  type ChangeEffect,
  criticalParametersOf,
  diffValues,
  type GovernanceState,
  governanceChanges,
  governanceWeakenings,
  type ReloadClass,
  type ResolvedChange,
  type RolloutCohort,
  touchedCriticalParameters,
} from "@tradai/core";
import type { Queryable } from "../db/database.js";
import type { Affects } from "./change.js";
import {
  type KernelSources,
  type Pair,
  pairKey,
  type ResolutionInputs,
  type ResolvedValues,
  type RolloutAtPair,
} from "./sources.js";

export interface Snapshot {
  governance: GovernanceState;
  reload: Map<string, ReloadClass>;
  inputs: ResolutionInputs;
  resolved: Map<string, ResolvedValues | null>;
  /** the open staged rollouts of those pairs: what the workers they assign resolve */
  rollouts: Map<string, RolloutAtPair>;
}

const matches = (a: Affects, p: Pair) =>
  (a.strategy === undefined || a.strategy === p.strategy) &&
  (a.environment === undefined || a.environment === p.environment);

/** The pairs a change may alter: those it names, and the active ones its wildcards cover. */
export function pairsOf(affects: readonly Affects[], inputs: ResolutionInputs): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const a of affects) {
    if (a.strategy !== undefined && a.environment !== undefined) {
      const p = { strategy: a.strategy, environment: a.environment };
      pairs.set(pairKey(p), p);
    }
  }
  for (const key of inputs.active.keys()) {
    const [strategy, environment] = key.split("\0") as [string, string];
    const p = { strategy, environment };
    if (affects.some((a) => matches(a, p))) pairs.set(key, p);
  }
  return [...pairs.values()].sort(
    (x, y) => x.environment.localeCompare(y.environment) || x.strategy.localeCompare(y.strategy),
  );
}

export async function takeSnapshot(
  q: Queryable,
  sources: KernelSources,
  affects: readonly Affects[],
  also: Pair[] = [],
) {
  const [policies, parameters, inputs] = [
    await sources.policies(q),
    await sources.parameters(q),
    await sources.inputs(q),
  ];
  const pairs = [...pairsOf(affects, inputs), ...also];
  const resolved = pairs.length > 0 ? await sources.resolve(q, pairs) : new Map<string, ResolvedValues | null>();
  const rollouts = inputs.rollouts.size > 0 ? await sources.rollouts(q, pairs) : new Map<string, RolloutAtPair>();
  const snapshot: Snapshot = {
    governance: { policies, parameters: parameters.governance },
    reload: parameters.reload,
    inputs,
    resolved,
    rollouts,
  };
  return { snapshot, pairs };
}

/**
 * What the work changed in resolution's inputs that its declared `affects` do not cover, in words
 * (empty: nothing). A change must say what it may alter, so that it is judged on all of it.
 */
export function undeclaredChanges(
  affects: readonly Affects[],
  before: ResolutionInputs,
  after: ResolutionInputs,
  /** what this transaction itself changed (migration 016's marks); others' commits are not its doing */
  mine: ReadonlySet<string>,
) {
  const found: string[] = [];
  for (const key of new Set([...before.active.keys(), ...after.active.keys()])) {
    if (before.active.get(key) === after.active.get(key)) continue;
    const [strategy, environment] = key.split("\0") as [string, string];
    if (!mine.has(`active ${strategy} ${environment}`)) continue;
    if (!affects.some((a) => matches(a, { strategy, environment })))
      found.push(`the active version of ${strategy} in ${environment}`);
  }
  for (const env of new Set([...before.baseRevisions.keys(), ...after.baseRevisions.keys()])) {
    if (before.baseRevisions.get(env) === after.baseRevisions.get(env)) continue;
    if (!mine.has(`base ${env}`)) continue;
    if (!affects.some((a) => a.strategy === undefined && (a.environment === undefined || a.environment === env)))
      found.push(`the base values of ${env}`);
  }
  for (const key of new Set([...before.rollouts.keys(), ...after.rollouts.keys()])) {
    if (before.rollouts.get(key) === after.rollouts.get(key)) continue;
    const [strategy, environment] = key.split("\0") as [string, string];
    if (!mine.has(`rollout ${strategy} ${environment}`)) continue;
    if (!affects.some((a) => matches(a, { strategy, environment })))
      found.push(`the staged rollout of ${strategy} in ${environment}`);
  }
  if (
    before.catalogRevision !== after.catalogRevision &&
    mine.has("catalog") &&
    !affects.some((a) => !a.strategy && !a.environment)
  )
    found.push("the catalog");
  return found;
}

/** The marks of what this transaction changed so far (see migration 016). */
export async function changedByThisTransaction(q: Queryable): Promise<Set<string>> {
  const { rows } = await q.query<{ marks: string | null }>("SELECT current_setting('tradai.changed', true) AS marks");
  return new Set((rows[0]?.marks ?? "").split("\n").filter(Boolean));
}

/**
 * The pairs whose resolved config is the same but whose catalog warnings changed (a value deprecated,
 * a key catalogued): no effect to judge, yet workers must hear of it, as a live worker refuses or
 * accepts a config by them.
 */
export function warningsChanged(before: Snapshot, after: Snapshot): Pair[] {
  const found: Pair[] = [];
  for (const [key, a] of before.resolved) {
    const b = after.resolved.get(key);
    if (!a || !b || a.config_id !== b.config_id || a.resolved_hash !== b.resolved_hash) continue;
    if (JSON.stringify(a.warnings ?? []) === JSON.stringify(b.warnings ?? [])) continue;
    const [strategy, environment] = key.split("\0") as [string, string];
    found.push({ strategy, environment });
  }
  return found;
}

/** What a resolved change's workers had and get: the pair's configs, or a rollout's (see `cohortChanges`). */
export function sidesOf(
  r: ResolvedChange,
  before: Snapshot,
  after: Snapshot,
): [ResolvedValues | null, ResolvedValues | null] {
  const key = pairKey(r);
  switch (r.cohort?.kind) {
    case undefined:
      return [before.resolved.get(key) ?? null, after.resolved.get(key) ?? null];
    case "assign":
      return [after.resolved.get(key) ?? null, after.rollouts.get(key)?.resolved ?? null];
    case "update":
      return [
        before.rollouts.get(key)?.resolved ?? null,
        after.rollouts.get(key)?.resolved ?? after.resolved.get(key) ?? null,
      ];
    case "restore":
      return [before.rollouts.get(key)?.resolved ?? null, after.resolved.get(key) ?? null];
  }
}

/**
 * What a change does to the workers staged rollouts assign: a step that assigns more workers moves
 * them from the active config to the rollout's; a change under a rollout (base values, catalog)
 * moves the assigned workers' config; a rollout rolled back or aborted returns them to the active
 * config; a completed one leaves them where they are (its version is active for all now).
 */
function cohortChanges(before: Snapshot, after: Snapshot): { key: string; cohort: RolloutCohort }[] {
  const found: { key: string; cohort: RolloutCohort }[] = [];
  const same = (a: ResolvedValues | null | undefined, b: ResolvedValues | null | undefined) =>
    (a?.config_id ?? null) === (b?.config_id ?? null) && (a?.resolved_hash ?? null) === (b?.resolved_hash ?? null);
  for (const key of new Set([...before.rollouts.keys(), ...after.rollouts.keys()])) {
    const [was, now] = [before.rollouts.get(key), after.rollouts.get(key)];
    const active = after.resolved.get(key);
    if (was && (!now || now.id !== was.id)) {
      if (!same(was.resolved, active))
        found.push({
          key,
          cohort: { rollout_id: was.id, step: was.step, kind: "restore", workers: "every worker the rollout assigned" },
        });
    } else if (was && now && !same(was.resolved, now.resolved)) {
      found.push({
        key,
        cohort: { rollout_id: now.id, step: now.step, kind: "update", workers: "every worker the rollout assigns" },
      });
    }
    if (now && (!was || was.id !== now.id || now.step > was.step) && !same(active, now.resolved))
      found.push({ key, cohort: { rollout_id: now.id, step: now.step, kind: "assign", workers: now.workers } });
  }
  return found;
}

/** The effect: every pair whose active version or resolved hash changed, and the governance changed. */
export function effectOf(before: Snapshot, after: Snapshot): ChangeEffect {
  const resolved: ResolvedChange[] = [];
  const changeOf = (strategy: string, environment: string, a: ResolvedValues | null, b: ResolvedValues | null) => {
    const diff = diffValues(a?.values ?? {}, b?.values ?? {});
    const critical = criticalParametersOf(strategy, before.governance, after.governance);
    // A strategy's first resolved config there: its critical values from the catalog and the base
    // were approved as those layers changed; those its version sets are what this change decides.
    const decided = a === null && b !== null ? diffValues({}, b.version_values) : diff;
    return {
      strategy,
      environment,
      before: a && { config_id: a.config_id, resolved_hash: a.resolved_hash },
      after: b && { config_id: b.config_id, resolved_hash: b.resolved_hash },
      diff,
      critical: touchedCriticalParameters(decided, critical),
    };
  };
  const keys = [...new Set([...before.resolved.keys(), ...after.resolved.keys()])];
  for (const key of keys) {
    const [a, b] = [before.resolved.get(key) ?? null, after.resolved.get(key) ?? null];
    if (a === null && b === null) continue;
    if (a && b && a.config_id === b.config_id && a.resolved_hash === b.resolved_hash) continue;
    const [strategy, environment] = key.split("\0") as [string, string];
    resolved.push(changeOf(strategy, environment, a, b));
  }
  for (const { key, cohort } of cohortChanges(before, after)) {
    const [strategy, environment] = key.split("\0") as [string, string];
    const r = { strategy, environment, cohort } as ResolvedChange;
    const [a, b] = sidesOf(r, before, after);
    resolved.push({ ...changeOf(strategy, environment, a, b), cohort });
  }
  resolved.sort(
    (x, y) =>
      x.environment.localeCompare(y.environment) ||
      x.strategy.localeCompare(y.strategy) ||
      (x.cohort?.kind ?? "").localeCompare(y.cohort?.kind ?? ""),
  );
  return {
    resolved,
    governance: governanceChanges(before.governance, after.governance),
    weakenings: governanceWeakenings(before.governance, after.governance),
  };
}
