/**
 * @module What the change kernel reads to judge a change, given to it by the composition root: the
 * kernel sits below the features and imports none of them.
 */
import type { ParameterGovernance, PolicyGovernance, ReloadClass } from "@tradai/core";
import type { Queryable } from "../db/database.js";

/** A strategy in an environment. */
export interface Pair {
  strategy: string;
  environment: string;
}

export const pairKey = (p: Pair) => `${p.strategy}\0${p.environment}`;

/** Everything a resolved config depends on, cheap to read before and after every change. */
export interface ResolutionInputs {
  /** the active version of each (strategy, environment): pairKey -> config version id */
  active: Map<string, number>;
  /** each environment's base-values revision */
  baseRevisions: Map<string, number>;
  catalogRevision: number;
  /** each open staged rollout where it is: pairKey -> "id step state" */
  rollouts: Map<string, string>;
}

/** An open staged rollout of a pair, and what the workers it assigns resolve. */
export interface RolloutAtPair {
  id: string;
  step: number;
  state: string;
  /** the step's workers, in words */
  workers: string;
  assignment: { threshold: number; selectors: Record<string, string>[] };
  /** null: the rollout's version resolves to nothing there (a required value missing) */
  resolved: ResolvedValues | null;
}

export interface ResolvedValues {
  config_id: string;
  resolved_hash: string;
  values: Record<string, unknown>;
  /** the active version's own data (the top layer) */
  version_values: Record<string, unknown>;
  /** the layer that gave each value, by dotted path */
  provenance: Record<string, { layer: string; source: string }>;
  /** what the catalog warns of in the values (live workers refuse such a config) */
  warnings?: readonly { key: string; kind: string; message: string }[];
}

export interface ActiveFreeze {
  window_id: number;
  window_reason: string;
  until: Date;
}

export interface KernelSources {
  /** The policy of every environment. */
  policies(q: Queryable): Promise<Record<string, PolicyGovernance>>;
  /** The freeze window covering `now` in the environment, if any. */
  activeFreeze(q: Queryable, environment: string, now: Date): Promise<ActiveFreeze | null>;
  /** Each catalog parameter's governance (criticality, bounds) and reload class. */
  parameters(
    q: Queryable,
  ): Promise<{ governance: Record<string, ParameterGovernance>; reload: Map<string, ReloadClass> }>;
  inputs(q: Queryable): Promise<ResolutionInputs>;
  /** Where `key` = `value` was served for the pair (a run, a worker), in words; null: never. */
  servedValue(q: Queryable, at: Pair & { key: string; value: unknown }): Promise<string | null>;
  /** The resolved config of each pair, by pairKey (null: nothing resolves there). */
  resolve(q: Queryable, pairs: readonly Pair[]): Promise<Map<string, ResolvedValues | null>>;
  /** The open staged rollouts of the pairs, by pairKey. */
  rollouts(q: Queryable, pairs: readonly Pair[]): Promise<Map<string, RolloutAtPair>>;
}
