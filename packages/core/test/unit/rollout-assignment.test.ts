/**
 * The assignment of a staged rollout's steps (issue 19): deterministic, nested from step to step,
 * and a share step takes the asked share of the workers known when it starts, within 1/N. And the
 * label selectors a selector step (and the workers view) uses.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { labelSelector, parseLabelSelector, selects } from "../../src/distribution/labels.js";
import {
  isAssigned,
  NO_ASSIGNMENT,
  type RolloutAssignment,
  type RolloutStepTarget,
  rolloutPoint,
  startStep,
} from "../../src/distribution/rollout-assignment.js";

const workerIds = fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/), { minLength: 1, maxLength: 300 });
const labelValue = fc.constantFrom("true", "false", "binance", "kraken");
const step: fc.Arbitrary<RolloutStepTarget> = fc.oneof(
  fc.double({ min: 0.01, max: 1, noNaN: true }).map((share) => ({ share })),
  fc.record({ canary: labelValue }).map((selector) => ({ selector })),
);

function labelsOf(id: string) {
  // Fixed per worker: a canary flag from the id's length, an exchange from its first letter.
  return { canary: id.length % 3 === 0 ? "true" : "false", exchange: id < "m" ? "binance" : "kraken" };
}

function run(rolloutId: string, ids: readonly string[], steps: readonly RolloutStepTarget[]) {
  let assignment: RolloutAssignment = NO_ASSIGNMENT;
  return steps.map((target) => {
    assignment = startStep(rolloutId, assignment, target, ids);
    const current = assignment;
    return new Set(ids.filter((id) => isAssigned(rolloutId, current, { worker_id: id, labels: labelsOf(id) })));
  });
}

describe("rollout assignment", () => {
  it("each step's set contains the previous step's", () => {
    fc.assert(
      fc.property(fc.uuid(), workerIds, fc.array(step, { minLength: 1, maxLength: 6 }), (rolloutId, ids, steps) => {
        // A rollout's shares only grow (the rollout's definition refuses a smaller one).
        let highest = 0;
        const ascending = steps.map((s) => {
          if (!("share" in s)) return s;
          highest = Math.max(highest, s.share);
          return { share: highest };
        });
        const sets = run(rolloutId, ids, ascending);
        for (let i = 1; i < sets.length; i++) {
          for (const id of sets[i - 1] as Set<string>) expect((sets[i] as Set<string>).has(id)).toBe(true);
        }
      }),
    );
  });

  it("a share step takes the asked share of the workers known when it starts, within 1/N", () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        workerIds,
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (rolloutId, ids, shares) => {
          const ascending = [...shares].sort((a, b) => a - b).map((share) => ({ share }));
          const sets = run(rolloutId, ids, ascending);
          for (const [i, set] of sets.entries()) {
            const asked = ascending[i]?.share as number;
            expect(Math.abs(set.size / ids.length - asked)).toBeLessThanOrEqual(1 / ids.length);
          }
        },
      ),
    );
  });

  it("is the same for the same rollout and worker, and differs between rollouts", () => {
    expect(rolloutPoint("r-1", "w-1")).toBe(rolloutPoint("r-1", "w-1"));
    expect(rolloutPoint("r-1", "w-1")).not.toBe(rolloutPoint("r-2", "w-1"));
    const ids = Array.from({ length: 200 }, (_, i) => `w-${i}`);
    const a = run("r-1", ids, [{ share: 0.25 }])[0] as Set<string>;
    const b = run("r-2", ids, [{ share: 0.25 }])[0] as Set<string>;
    expect(a.size).toBe(50);
    expect(b.size).toBe(50);
    expect([...a].filter((id) => b.has(id)).length).toBeLessThan(40); // another rollout, other canaries
  });

  it("a selector step takes exactly the workers its labels name; a newcomer joins a share step by its point", () => {
    const ids = Array.from({ length: 100 }, (_, i) => `w-${i}`);
    const [canaries] = run("r-3", ids, [{ selector: { canary: "true" } }]);
    expect([...(canaries as Set<string>)].sort()).toEqual(ids.filter((id) => labelsOf(id).canary === "true").sort());
    const quarter = startStep("r-3", NO_ASSIGNMENT, { share: 0.25 }, ids);
    const newcomers = Array.from({ length: 2000 }, (_, i) => ({ worker_id: `late-${i}`, labels: {} }));
    const joined = newcomers.filter((w) => isAssigned("r-3", quarter, w)).length / newcomers.length;
    expect(joined).toBeGreaterThan(0.15);
    expect(joined).toBeLessThan(0.35);
    // All: also every worker that appears later.
    const all = startStep("r-3", quarter, { share: 1 }, ids);
    expect(newcomers.every((w) => isAssigned("r-3", all, w))).toBe(true);
    expect(() => startStep("r-3", NO_ASSIGNMENT, { share: 0 }, ids)).toThrow(RangeError);
  });
});

describe("label selectors", () => {
  it("parses name=value pairs; an empty selector selects every worker", () => {
    expect(parseLabelSelector("")).toEqual({});
    expect(selects(parseLabelSelector(""), {})).toBe(true);
    expect(parseLabelSelector("canary=true,exchange=binance")).toEqual({ canary: "true", exchange: "binance" });
    expect(parseLabelSelector("note=")).toEqual({ note: "" });
    expect(selects({ canary: "true" }, { canary: "true", exchange: "kraken" })).toBe(true);
    expect(selects({ canary: "true" }, { exchange: "kraken" })).toBe(false);
    expect(labelSelector.safeParse("canary=true,exchange=binance").success).toBe(true);
    for (const bad of ["Canary=true", "canary", "canary=true,", "=x", "a=b=c"])
      expect(labelSelector.safeParse(bad).success, bad).toBe(false);
  });
});
