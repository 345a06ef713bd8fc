import { describe, expect, it } from "vitest";
import {
  type CodeVersionDistance,
  codeVersionDistance,
  comparability,
  compareMetrics,
  judgeComparability,
  metricDelta,
  type ParameterSet,
  readVersion,
} from "../../src/index.js";

/** A schema-2 set as the server makes one: stake_amount is ignorable, the rest counts. */
const BASE: ParameterSet = {
  schema: "tradai.parameter-set/2",
  strategy: "StochRsiStrategy",
  values: { stoploss: -0.02, stake_amount: 1000, timeframe: "1h", risk: { max_trades: 3 }, fees: { maker: 0.001 } },
  provenance: {
    stoploss: "config_version",
    stake_amount: "request",
    timeframe: "request",
    "risk.max_trades": "config_version",
    fees: "catalog_default",
  },
  config_version_id: "v1-0aafb37d",
  config_hash: "0aafb37d348c8a7fec17f0d0be993bcf5ccc3989e56345625fe2d2811cc0ec0a",
  catalog_revision: 4,
  catalog: {
    stoploss: { type: "number", min: -0.5, max: -0.001, reload: "hot", criticality: "critical", deprecated: false },
    stake_amount: {
      type: "number",
      reload: "restart",
      criticality: "normal",
      deprecated: false,
      comparability: "ignore",
    },
    "risk.max_trades": { type: "int", min: 1, max: 10, reload: "hot", criticality: "normal", deprecated: false },
    fees: { type: "json", reload: "restart", criticality: "normal", deprecated: false, comparability: "ignore" },
  },
  code: { task_definition: "tradai-strategy-stochrsi", version: "@tradai/reference-worker@0.1.0" },
  platform_version: "0.1.0",
  launcher: "local",
};

/** BASE with some fields replaced (a field given as undefined is removed). */
function setWith(patch: Partial<ParameterSet>): ParameterSet {
  const set = { ...structuredClone(BASE), ...structuredClone(patch) } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete set[k];
  return set as ParameterSet;
}
const valuesWith = (values: Record<string, unknown>) => setWith({ values: { ...BASE.values, ...values } });
const catalogWith = (entries: Record<string, unknown>) =>
  setWith({ catalog: { ...BASE.catalog, ...entries } as ParameterSet["catalog"] });

/** A schema-1 set: made before catalog metadata and code versions were kept. */
const LEGACY: ParameterSet = {
  schema: "tradai.parameter-set/1",
  strategy: BASE.strategy,
  values: BASE.values,
  provenance: BASE.provenance,
  config_version_id: BASE.config_version_id,
  config_hash: BASE.config_hash,
  catalog_revision: 4,
  platform_version: "0.1.0",
  launcher: "local",
};

const judged = (a: ParameterSet, b: ParameterSet) => {
  const answer = judgeComparability(a, b);
  expect(comparability.parse(answer)).toEqual(answer); // the answer fits its own schema
  return answer;
};
const kinds = (a: ParameterSet, b: ParameterSet) =>
  judged(a, b).reasons.map((r) => [r.key ?? r.field, r.kind, r.effect]);

describe("judgeComparability: strict", () => {
  it("the same parameter set: strict, with nothing to say", () => {
    const answer = judged(BASE, structuredClone(BASE));
    expect(answer).toMatchObject({ verdict: "strict", reasons: [], metrics: [] });
    expect(answer.summary).toMatch(/^strict: both runs used the same parameter set; /);
  });

  it("sets identical but for the sweep the run belongs to: strict, the sweep named as identity", () => {
    const a = setWith({ sweep: { id: "sweep-1", point: { stoploss: -0.02 } } });
    const b = setWith({ sweep: { id: "sweep-2", point: { stoploss: -0.02 } } });
    const answer = judged(a, b);
    expect(answer.verdict).toBe("strict");
    expect(answer.reasons).toEqual([
      expect.objectContaining({ field: "sweep", kind: "identity", effect: "none", a: "sweep-1", b: "sweep-2" }),
    ]);
    expect(answer.summary).toContain("apart from what identifies each run");
  });
});

describe("judgeComparability: relaxed", () => {
  it("a key the catalog marks comparability: ignore in both runs differs", () => {
    const answer = judged(BASE, valuesWith({ stake_amount: 500 }));
    expect(answer.verdict).toBe("relaxed");
    expect(answer.reasons).toEqual([
      {
        key: "stake_amount",
        kind: "ignored_value",
        effect: "relaxed",
        a: 1000,
        b: 500,
        message: expect.stringMatching(
          /^stake_amount is 1000 in run A and 500 in run B; the catalog marks it "comparability: ignore" in both runs/,
        ),
      },
    ]);
    expect(answer.summary).toMatch(
      /^relaxed: the same values in every key that counts; 1 difference\(s\) .*\(stake_amount\)/,
    );
  });

  it("a key under an ignorable parameter (a json parameter's member) is ignorable too", () => {
    const answer = judged(BASE, valuesWith({ fees: { maker: 0.002 } }));
    expect(answer.verdict).toBe("relaxed");
    expect(answer.reasons[0]).toMatchObject({ key: "fees.maker", kind: "ignored_value", a: 0.001, b: 0.002 });
    expect(answer.reasons[0]?.message).toContain('the catalog marks fees "comparability: ignore"');
  });

  it("code and platform versions a patch apart", () => {
    const b = setWith({
      code: { task_definition: "tradai-strategy-stochrsi", version: "@tradai/reference-worker@0.1.7" },
      platform_version: "0.1.2",
    });
    expect(kinds(BASE, b)).toEqual([
      ["code.version", "code_patch", "relaxed"],
      ["platform_version", "code_patch", "relaxed"],
    ]);
    expect(judged(BASE, b).verdict).toBe("relaxed");
  });

  it("the same values from another config version, another layer, another catalog revision", () => {
    const b = setWith({
      config_version_id: "v2-32026631",
      config_hash: "32026631bedcb31088d5e7ca5a4a282ff0e0bed87148912ba9ee1e5bc4d4cccf",
      catalog_revision: 5,
      provenance: { ...BASE.provenance, stoploss: "request" },
      launcher: "external",
    });
    expect(kinds(BASE, b)).toEqual([
      ["catalog_revision", "context", "relaxed"],
      ["config_version_id", "context", "relaxed"],
      ["launcher", "context", "relaxed"],
      ["stoploss", "provenance", "relaxed"],
    ]);
    expect(judged(BASE, b).verdict).toBe("relaxed");
  });

  it("the catalog's rules on a key changed (bounds), or it described the key in one run only", () => {
    const bounds = catalogWith({ stoploss: { ...BASE.catalog?.stoploss, min: -0.3 } });
    const answer = judged(BASE, bounds);
    expect(answer.verdict).toBe("relaxed");
    expect(answer.reasons).toEqual([
      expect.objectContaining({ key: "stoploss", kind: "catalog_rules", a: { min: -0.5 }, b: { min: -0.3 } }),
    ]);
    const { timeframe: _, ...without } = BASE.catalog ?? {};
    const described = catalogWith({
      timeframe: { type: "enum", reload: "restart", criticality: "normal", deprecated: false },
    });
    expect(kinds(setWith({ catalog: without, uncatalogued: ["timeframe"] }), described)).toEqual([
      ["timeframe", "catalog_entry", "relaxed"],
    ]);
    expect(judged(setWith({ catalog: without, uncatalogued: ["timeframe"] }), described).reasons[0]?.message).toContain(
      "kept uncatalogued (an open policy)",
    );
  });
});

describe("judgeComparability: forbidden", () => {
  it("a different value of a used key", () => {
    const answer = judged(BASE, valuesWith({ stoploss: -0.05 }));
    expect(answer.verdict).toBe("forbidden");
    expect(answer.reasons).toEqual([
      {
        key: "stoploss",
        kind: "value",
        effect: "forbidden",
        a: -0.02,
        b: -0.05,
        message:
          "stoploss is -0.02 in run A and -0.05 in run B: the runs did not use the same parameters, so a difference in their results may come from this key",
      },
    ]);
    expect(answer.summary).toMatch(/^forbidden: 1 difference\(s\) make their results incomparable \(stoploss\)/);
  });

  it("a key one run used and the other did not, nested keys by their dotted path", () => {
    const b = setWith({ values: { ...BASE.values, risk: { max_trades: 3, max_open: 2 } } });
    expect(judged(BASE, b).reasons).toEqual([
      expect.objectContaining({ key: "risk.max_open", kind: "value", effect: "forbidden", b: 2 }),
    ]);
    expect(judged(BASE, b).reasons[0]).not.toHaveProperty("a", expect.anything());
    expect(judged(BASE, b).reasons[0]?.message).toContain("risk.max_open is absent in run A and 2 in run B");
  });

  it("an ignorable key that only one run's catalog marks ignorable still counts", () => {
    const a = setWith({
      catalog: {
        ...BASE.catalog,
        stake_amount: { ...BASE.catalog?.stake_amount, comparability: "compare" },
      } as ParameterSet["catalog"],
    });
    const answer = judged(a, valuesWith({ stake_amount: 500 }));
    expect(answer.verdict).toBe("forbidden");
    expect(answer.reasons.map((r) => [r.key, r.kind, r.effect])).toEqual([
      ["stake_amount", "value", "forbidden"],
      ["stake_amount", "catalog_rules", "relaxed"],
    ]);
    expect(answer.reasons[0]?.message).toContain("the catalog marks it ignorable in run B only");
  });

  it("a different catalog type of a used key, even with the same value", () => {
    const b = catalogWith({ "risk.max_trades": { ...BASE.catalog?.["risk.max_trades"], type: "number" } });
    const answer = judged(BASE, b);
    expect(answer.verdict).toBe("forbidden");
    expect(answer.reasons).toEqual([
      expect.objectContaining({
        key: "risk.max_trades",
        kind: "catalog_type",
        effect: "forbidden",
        a: "int",
        b: "number",
      }),
    ]);
  });

  const code = (version: string | undefined, task = "tradai-strategy-stochrsi") =>
    setWith({
      values: { ...BASE.values, task_definition: task },
      code: { task_definition: task, ...(version === undefined ? {} : { version }) },
    });
  it.each([
    ["a minor version apart", "@tradai/reference-worker@0.2.0", /differ in the minor version/],
    ["a major version apart", "@tradai/reference-worker@1.0.0", /differ in the major version/],
    ["another package", "@acme/worker@0.1.1", /cannot be read as versions of the same code/],
    ["a pre-release of the same version", "@tradai/reference-worker@0.1.0-rc.1", /cannot be read/],
    ["no version recorded", undefined, /one run does not say which code ran/],
  ])("code versions %s", (_, version, why) => {
    const answer = judged(BASE, code(version));
    expect(answer.verdict).toBe("forbidden");
    expect(answer.reasons).toEqual([
      expect.objectContaining({
        field: "code.version",
        kind: "code_version",
        effect: "forbidden",
        message: expect.stringMatching(why),
      }),
    ]);
  });

  it("git SHAs that differ cannot be read as semver; the same SHA is the same code", () => {
    expect(kinds(code("3f9c2e1"), code("8a41b07"))).toEqual([["code.version", "code_version", "forbidden"]]);
    expect(judged(code("3f9c2e1"), code("3f9c2e1")).verdict).toBe("strict");
  });

  it("a platform version a minor version apart", () => {
    expect(kinds(BASE, setWith({ platform_version: "0.2.0" }))).toEqual([
      ["platform_version", "code_version", "forbidden"],
    ]);
  });

  it("another task definition (a value too): relaxed when both record their code version, forbidden when they do not", () => {
    expect(
      kinds(code("@tradai/reference-worker@0.1.0"), code("@tradai/reference-worker@0.1.0", "stochrsi-dev")),
    ).toEqual([["code.task_definition", "task_definition", "relaxed"]]);
    expect(kinds(code(undefined), code(undefined, "fixture"))).toEqual([
      ["code.task_definition", "task_definition", "forbidden"],
    ]);
  });

  it("another strategy", () => {
    expect(kinds(BASE, setWith({ strategy: "MeanReversionDemo" }))).toEqual([["strategy", "strategy", "forbidden"]]);
  });

  it("a legacy (schema-1) parameter set on either side, even with the very same values", () => {
    const answer = judged(LEGACY, BASE);
    expect(answer.verdict).toBe("forbidden");
    expect(answer.reasons[0]).toMatchObject({
      field: "schema",
      kind: "legacy",
      effect: "forbidden",
      a: "tradai.parameter-set/1",
      b: "tradai.parameter-set/2",
    });
    expect(answer.reasons[0]?.message).toMatch(/^run A uses a legacy parameter set \(tradai.parameter-set\/1\)/);
    // Its catalog metadata and code are missing, not different: the legacy reason is all there is to say.
    expect(answer.reasons.map((r) => r.kind)).toEqual(["legacy"]);
    // Two runs of one legacy set: nothing says the same code ran.
    const both = judged(LEGACY, structuredClone(LEGACY));
    expect(both.reasons.map((r) => [r.field, r.kind])).toEqual([["schema", "legacy"]]);
    expect(both.reasons[0]?.message).toMatch(/^both runs use a legacy parameter set/);
    expect(both.verdict).toBe("forbidden");
  });

  it("lists every difference, forbidden first, then relaxed, then identity", () => {
    const b = setWith({
      values: { ...BASE.values, stoploss: -0.05, stake_amount: 10 },
      code: { task_definition: "tradai-strategy-stochrsi", version: "@tradai/reference-worker@0.1.1" },
      sweep: { id: "s", point: {} },
      schema: "tradai.parameter-set/1",
    });
    expect(kinds(BASE, b)).toEqual([
      ["schema", "legacy", "forbidden"],
      ["stoploss", "value", "forbidden"],
      ["stake_amount", "ignored_value", "relaxed"],
      ["sweep", "identity", "none"],
    ]);
  });
});

describe("metrics side by side", () => {
  it("every numeric metric of either run, with b - a where both have it", () => {
    const answer = judgeComparability(BASE, BASE, {
      a: { sharpe: 1.2, trade_count: 22, final_balance: 10000.1, note: "x" },
      b: { sharpe: 0.9, trade_count: 25, final_balance: 10000, win_rate: 0.5 },
    });
    expect(answer.metrics).toEqual([
      { name: "final_balance", a: 10000.1, b: 10000, delta: -0.1 },
      { name: "sharpe", a: 1.2, b: 0.9, delta: -0.3 },
      { name: "trade_count", a: 22, b: 25, delta: 3 },
      { name: "win_rate", a: null, b: 0.5, delta: null },
    ]);
    expect(compareMetrics(null, undefined)).toEqual([]);
  });

  it("deltas lose floating-point noise, not precision", () => {
    expect(metricDelta(0.1, 0.3)).toBe(0.2);
    expect(metricDelta(1000, 1000.1)).toBe(0.1);
    expect(metricDelta(0, 1e-9)).toBe(1e-9);
    expect(metricDelta(1.000000001, 1.000000002)).toBe(1e-9);
    expect(metricDelta(5, 5)).toBe(0);
  });
});

describe("code versions", () => {
  it.each<[string | undefined, string | undefined, CodeVersionDistance]>([
    ["1.2.3", "1.2.3", "same"],
    ["v1.2.3", "1.2.3", "same"],
    ["1.2.3", "1.2.4", "patch"],
    ["1.2.3", "1.3.3", "minor"],
    ["1.2.3", "2.2.3", "major"],
    ["0.1.0", "0.1.9", "patch"],
    ["@tradai/reference-worker@0.1.0", "@tradai/reference-worker@0.1.1", "patch"],
    ["ghcr.io/acme/worker:1.4.0", "ghcr.io/acme/worker:1.4.2", "patch"],
    ["ghcr.io/acme/worker:1.4.0", "ghcr.io/acme/other:1.4.2", "unreadable"],
    ["1.2", "1.3", "unreadable"],
    ["1.2.3-rc.1", "1.2.3", "unreadable"],
    ["1.2.3+build.1", "1.2.3+build.2", "unreadable"],
    ["01.2.3", "1.2.4", "unreadable"],
    ["sha256:aaaa", "sha256:bbbb", "unreadable"],
    ["3f9c2e1", "8a41b07", "unreadable"],
    [undefined, "1.2.3", "unreadable"],
    [undefined, undefined, "same"],
  ])("%s vs %s: %s", (a, b, distance) => {
    expect(codeVersionDistance(a, b)).toBe(distance);
    expect(codeVersionDistance(b, a)).toBe(distance);
  });

  it("reads a package version as its name and numbers", () => {
    expect(readVersion("@tradai/reference-worker@0.1.0")).toEqual({
      name: "@tradai/reference-worker@",
      major: 0,
      minor: 1,
      patch: 0,
    });
    expect(readVersion("latest")).toBeUndefined();
  });
});
