/**
 * What a staged rollout may be asked to do (issue 19): steps by share or label selector, shares
 * that only grow, guards of known kinds; every refusal names its field.
 */
import { describe, expect, it } from "vitest";
import { rolloutRequest } from "../../src/distribution/rollouts.js";

const base = { strategy: "StochRsi", environment: "prod", config_id: "v3-0aafb37d" };
const paths = (input: unknown) => {
  const result = rolloutRequest.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
};

describe("a rollout request", () => {
  it("takes canaries by label, then growing shares, with guards", () => {
    const parsed = rolloutRequest.parse({
      ...base,
      steps: [
        { selector: "canary=true", bake_seconds: 600 },
        { share: 0.25, bake_seconds: 1800 },
        { share: 1, bake_seconds: 0 },
      ],
      guards: [
        { kind: "figure_vs_baseline", figure: "errors", ratio: 2, for_seconds: 120 },
        { kind: "figure_above", figure: "drawdown_pct", above: 5 },
        { kind: "canary_stale" },
        { kind: "apply_violation" },
      ],
    });
    expect(parsed.guards[1]).toEqual({ kind: "figure_above", figure: "drawdown_pct", above: 5, for_seconds: 0 });
    expect(rolloutRequest.parse({ ...base, steps: [{ share: 1, bake_seconds: 0 }] }).guards).toEqual([]);
  });

  it("refuses, naming the field: a share that shrinks, out of range, a bad selector, no step, an unknown guard", () => {
    expect(
      paths({
        ...base,
        steps: [
          { share: 0.5, bake_seconds: 60 },
          { share: 0.25, bake_seconds: 60 },
        ],
      }),
    ).toEqual(["steps.1.share"]);
    expect(paths({ ...base, steps: [{ share: 0, bake_seconds: 60 }] })).toEqual(["steps.0.share"]);
    expect(paths({ ...base, steps: [{ share: 1.5, bake_seconds: 60 }] })).toEqual(["steps.0.share"]);
    expect(paths({ ...base, steps: [{ share: 0.5, bake_seconds: -1 }] })).toEqual(["steps.0.bake_seconds"]);
    expect(paths({ ...base, steps: [{ selector: "Canary", bake_seconds: 60 }] })).toEqual(["steps.0.selector"]);
    expect(paths({ ...base, steps: [] })).toEqual(["steps"]);
    expect(paths({ ...base, steps: [{ share: 1, bake_seconds: 0 }], guards: [{ kind: "vibes" }] })).toEqual([
      "guards.0.kind",
    ]);
    expect(
      paths({
        ...base,
        steps: [{ share: 1, bake_seconds: 0 }],
        guards: [{ kind: "figure_vs_baseline", figure: "errors", ratio: 1, for_seconds: 60 }],
      }),
    ).toEqual(["guards.0.ratio"]);
  });
});
