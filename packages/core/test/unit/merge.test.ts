import { describe, expect, it } from "vitest";
import { diffValues, mergeConfigDefaults } from "../../src/index.js";

describe("mergeConfigDefaults", () => {
  it("fills what the request lacks, keeps what it gives, and says where each value came from", () => {
    const result = mergeConfigDefaults(
      { strategy: "S", config_version_id: "ACTIVE", stake_amount: 1000, timeframe: "1h" },
      { timeframe: "4h", stoploss: -0.02, stake_amount: 150, task_definition: "t" },
    );
    expect(result.values).toEqual({ stake_amount: 1000, timeframe: "1h", stoploss: -0.02, task_definition: "t" });
    expect(result.provenance).toEqual({
      stake_amount: "request",
      timeframe: "request",
      stoploss: "config_version",
      task_definition: "config_version",
    });
    expect(result.merged).toEqual(["stoploss", "task_definition"]);
  });

  it("never takes identity fields from config data", () => {
    const result = mergeConfigDefaults(
      { strategy: "S" },
      { strategy: "Other", config_version_id: "v9-00000000", job_id: "x", experiment_name: "e", a: 1 },
    );
    expect(result.values).toEqual({ a: 1 });
    expect(result.merged).toEqual(["a"]);
  });

  it("without config data, only the request's values", () => {
    expect(mergeConfigDefaults({ strategy: "S", x: 1, y: undefined }, undefined)).toEqual({
      values: { x: 1 },
      provenance: { x: "request" },
      merged: [],
    });
  });
});

describe("diffValues", () => {
  it("lists added, removed and changed keys by dotted path", () => {
    const diff = diffValues(
      { stoploss: -0.02, roi: { "0": 0.03, "60": 0.01 }, symbols: ["A"], gone: true },
      { stoploss: -0.04, roi: { "0": 0.03, "30": 0.02 }, symbols: ["A"], fresh: 1 },
    );
    expect(diff).toEqual({
      added: { fresh: 1, "roi.30": 0.02 },
      removed: { gone: true, "roi.60": 0.01 },
      changed: { stoploss: { old: -0.02, new: -0.04 } },
    });
  });
  it("compares arrays as whole values and ignores key order inside them", () => {
    expect(diffValues({ a: [{ x: 1, y: 2 }] }, { a: [{ y: 2, x: 1 }] }).changed).toEqual({});
    expect(diffValues({ a: [1, 2] }, { a: [2, 1] }).changed).toEqual({ a: { old: [1, 2], new: [2, 1] } });
  });
});
