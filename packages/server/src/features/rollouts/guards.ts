/**
 * @module A staged rollout's guards, judged on what the workers report (issue 19): the canaries
 * (the workers the rollout assigns) against the rest, over the health figures of their latest
 * heartbeats, their staleness and their apply violations. A rule that needs time to trip
 * (`for_seconds`) is counted from the first look it held; the driver keeps those times.
 */
import type { RolloutGuard } from "@tradai/core";

export interface GuardedWorker {
  worker_id: string;
  stale: boolean;
  health: Record<string, number>;
  /** config_apply_violation events its process reported */
  violations: number;
  /** it runs the rollout's version now */
  on_rollout: boolean;
}

export interface GuardReading {
  index: number;
  guard: RolloutGuard;
  /** the rule holds on this look */
  holds: boolean;
  /** what it was judged on, e.g. {canary_mean: 4, baseline_mean: 1, canaries: 2, baseline: 8} */
  figures: Record<string, number | null | string[]>;
  /** one line: "errors: canaries' mean 4 > 2 x the others' 1" */
  summary: string;
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
const round = (n: number) => Math.round(n * 1e6) / 1e6;

export function readGuards(
  guards: readonly RolloutGuard[],
  canaries: readonly GuardedWorker[],
  rest: readonly GuardedWorker[],
): GuardReading[] {
  return guards.map((guard, index) => readGuard(guard, index, canaries, rest));
}

function readGuard(
  guard: RolloutGuard,
  index: number,
  canaries: readonly GuardedWorker[],
  rest: readonly GuardedWorker[],
): GuardReading {
  switch (guard.kind) {
    case "figure_vs_baseline": {
      const c = canaries.flatMap((w) => (guard.figure in w.health ? [w.health[guard.figure] as number] : []));
      const b = rest.flatMap((w) => (guard.figure in w.health ? [w.health[guard.figure] as number] : []));
      const [cm, bm] = [mean(c), mean(b)];
      // No canary reporting it, or no baseline to compare with (every worker assigned): it cannot hold.
      const holds = cm !== null && bm !== null && cm > guard.ratio * bm;
      return {
        index,
        guard,
        holds,
        figures: {
          canary_mean: cm === null ? null : round(cm),
          baseline_mean: bm === null ? null : round(bm),
          canaries: c.length,
          baseline: b.length,
        },
        summary:
          cm === null || bm === null
            ? `${guard.figure}: ${cm === null ? "no canary reports it" : "no other worker reports it"}`
            : `${guard.figure}: the canaries' mean ${round(cm)} ${holds ? ">" : "<="} ${guard.ratio} x the others' ${round(bm)}`,
      };
    }
    case "figure_above": {
      const over = canaries.filter((w) => (w.health[guard.figure] ?? Number.NEGATIVE_INFINITY) > guard.above);
      const highest = Math.max(...canaries.map((w) => w.health[guard.figure] ?? Number.NEGATIVE_INFINITY));
      return {
        index,
        guard,
        holds: over.length > 0,
        figures: { highest: Number.isFinite(highest) ? highest : null, workers: over.map((w) => w.worker_id) },
        summary:
          over.length > 0
            ? `${guard.figure} above ${guard.above} on ${over.map((w) => `${w.worker_id} (${w.health[guard.figure]})`).join(", ")}`
            : `${guard.figure}: no canary above ${guard.above}`,
      };
    }
    case "canary_stale": {
      const stale = canaries.filter((w) => w.stale);
      return {
        index,
        guard,
        holds: stale.length > 0,
        figures: { workers: stale.map((w) => w.worker_id) },
        summary:
          stale.length > 0 ? `stale canaries: ${stale.map((w) => w.worker_id).join(", ")}` : "no canary is stale",
      };
    }
    case "apply_violation": {
      const violating = canaries.filter((w) => w.on_rollout && w.violations > 0);
      return {
        index,
        guard,
        holds: violating.length > 0,
        figures: { workers: violating.map((w) => w.worker_id) },
        summary:
          violating.length > 0
            ? `config_apply_violation on ${violating.map((w) => `${w.worker_id} (${w.violations})`).join(", ")}`
            : "no canary reported a config_apply_violation",
      };
    }
  }
}

/** How long a reading must hold before it trips. */
export const holdSeconds = (guard: RolloutGuard) => ("for_seconds" in guard ? (guard.for_seconds ?? 0) : 0);
