import { describe, expect, it } from "vitest";
import { type CatalogParameter, catalogParameter, sweepGrid, sweepValues } from "../../src/index.js";

const define = (input: Record<string, unknown>): CatalogParameter =>
  catalogParameter.parse({ description: "d", ...input });

describe("the sweep values the catalog gives a parameter", () => {
  it.each([
    ["an enum: its allowed values", { type: "enum", allowed: ["a", "b", "c"] }, ["a", "b", "c"]],
    ["a bool: both", { type: "bool" }, [false, true]],
    ["an int with a step: every step", { type: "int", min: 10, max: 20, step: 5 }, [10, 15, 20]],
    [
      "a number with a step: no float drift",
      { type: "number", min: 0.1, max: 0.5, step: 0.1 },
      [0.1, 0.2, 0.3, 0.4, 0.5],
    ],
    [
      "a step that misses max: up to it",
      { type: "number", min: -0.05, max: -0.01, step: 0.015 },
      [-0.05, -0.035, -0.02],
    ],
    ["a string with allowed values", { type: "string", allowed: ["x", "y"] }, ["x", "y"]],
    ["variants narrow the grid", { type: "enum", allowed: ["a", "b", "c"], variants: ["c", "a"] }, ["c", "a"]],
    ["variants alone give one", { type: "number", variants: [1.5, 2.5] }, [1.5, 2.5]],
    [
      "never a deprecated value",
      { type: "enum", allowed: ["a", "b", "c"], deprecated_values: { b: { replacement: "a", reason: "r" } } },
      ["a", "c"],
    ],
  ])("%s", (_, input, values) => {
    expect(sweepValues(define({ name: "k", ...input }))).toEqual({ values });
  });

  it.each([
    ["a free number", { type: "number", min: 0, max: 1 }, /k has no values to sweep/],
    ["a free string", { type: "string" }, /no values to sweep/],
    ["a range too fine", { type: "number", min: 0, max: 1, step: 0.0001 }, /10001 steps/],
    ["a deprecated parameter", { type: "bool", deprecated: true, replacement: "j" }, /k is deprecated; sweep j/],
  ])("refuses %s", (_, input, problem) => {
    const found = sweepValues(define({ name: "k", ...input }));
    expect("problem" in found && found.problem).toMatch(problem);
  });

  it("combines parameters, the first slowest, and names each that cannot be swept", () => {
    const a = define({ name: "a", type: "bool" });
    const b = define({ name: "b", type: "enum", allowed: ["x", "y", "z"] });
    expect(sweepGrid([a, b]).combinations).toEqual([
      { a: false, b: "x" },
      { a: false, b: "y" },
      { a: false, b: "z" },
      { a: true, b: "x" },
      { a: true, b: "y" },
      { a: true, b: "z" },
    ]);
    const free = define({ name: "f", type: "number" });
    expect(sweepGrid([a, free]).problems.map((p) => p.name)).toEqual(["f"]);
  });
});
