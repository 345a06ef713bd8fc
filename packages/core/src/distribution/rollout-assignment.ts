/**
 * @module Which workers a staged rollout's step assigns the new version to (issue 19).
 *
 * Deterministic: a worker's place in a rollout is a point in [0, 1) hashed from the rollout id and
 * the worker id, the same on every replica and after a restart. A share step takes the workers with
 * the lowest points: at the step's start it ranks the environment's workers and keeps the point of
 * the last one taken as the step's threshold, so the step takes the asked share of the workers known
 * then (within 1/N), and a worker that appears later is assigned when its point is under the
 * threshold (about the same share of newcomers). A selector step takes the workers whose labels hold
 * its pairs. Steps accumulate: a worker assigned at a step stays assigned at every later one.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { selects, type WorkerLabels } from "./labels.js";

/** A rollout step: a share of the workers (0 < share <= 1), or the workers a label selector names. */
export type RolloutStepTarget = { share: number } | { selector: WorkerLabels };

/** What the steps so far assign, fixed when each step started. */
export interface RolloutAssignment {
  /** Points at or under it are assigned; -1: no share step yet (nobody by share). */
  threshold: number;
  /** The selectors of the selector steps so far: a worker matching any is assigned. */
  selectors: WorkerLabels[];
}

export interface AssignableWorker {
  worker_id: string;
  labels: WorkerLabels;
}

export const NO_ASSIGNMENT: RolloutAssignment = Object.freeze({ threshold: -1, selectors: [] });

/** The worker's point in the rollout: the first 48 bits of SHA-256(rollout id, worker id), in [0, 1). */
export function rolloutPoint(rolloutId: string, workerId: string): number {
  const digest = sha256(utf8ToBytes(`${rolloutId}\0${workerId}`));
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + (digest[i] as number);
  return value / 2 ** 48;
}

/**
 * The assignment once a step starts, given the one before it and the workers known now. A share
 * step never lowers the threshold (nobody assigned before is unassigned), and a share of 1 takes
 * every worker, also those that appear later.
 */
export function startStep(
  rolloutId: string,
  previous: RolloutAssignment,
  target: RolloutStepTarget,
  known: readonly string[],
): RolloutAssignment {
  if ("selector" in target)
    return { threshold: previous.threshold, selectors: [...previous.selectors, target.selector] };
  if (!(target.share > 0 && target.share <= 1))
    throw new RangeError(`a step's share is in (0, 1], not ${target.share}`);
  if (target.share === 1) return { threshold: 1, selectors: previous.selectors };
  const points = [...new Set(known)].map((id) => rolloutPoint(rolloutId, id)).sort((a, b) => a - b);
  const take = Math.round(target.share * points.length);
  const threshold = take === 0 ? previous.threshold : (points[take - 1] as number);
  return { threshold: Math.max(previous.threshold, threshold), selectors: previous.selectors };
}

/** Whether the worker runs the rollout's version under this assignment. */
export function isAssigned(rolloutId: string, assignment: RolloutAssignment, worker: AssignableWorker): boolean {
  if (assignment.selectors.some((selector) => selects(selector, worker.labels))) return true;
  return assignment.threshold >= 0 && rolloutPoint(rolloutId, worker.worker_id) <= assignment.threshold;
}
