/** The catalog form's draft: text read as the parameter's type, validated by core's own schema. */
import { type CatalogParameter, catalogParameter } from "@tradai/core";
import { describe, expect, it } from "vitest";
import {
  draftOf,
  draftToInput,
  EMPTY_DRAFT,
  type ParameterDraft,
  parameterResolver,
} from "../../src/features/catalog/parameter-draft.js";

const draft = (over: Partial<ParameterDraft>): ParameterDraft => ({
  ...EMPTY_DRAFT,
  name: "risk.slippage",
  description: "Slippage",
  ...over,
});
const resolve = async (d: ParameterDraft) =>
  // biome-ignore lint/suspicious/noExplicitAny: the resolver's context and options are not used
  parameterResolver(d, undefined, {} as any);

describe("the parameter draft", () => {
  it("reads numbers, lists and per-type values, leaving out fields the type does not have", () => {
    const { input, problems } = draftToInput(
      draft({
        type: "int",
        min: "0",
        max: "50",
        step: "1",
        default: "5",
        variants: "2, 5,10",
        allowed: "",
        strategies: "A, B",
      }),
    );
    expect(problems).toEqual({});
    expect(input).toMatchObject({ min: 0, max: 50, step: 1, default: 5, variants: [2, 5, 10], strategies: ["A", "B"] });
    // A bool has no bounds: stale text in hidden fields is not sent.
    const bool = draftToInput(draft({ type: "bool", min: "3", default: "true", variants: "true, false" })).input;
    expect(bool).not.toHaveProperty("min");
    expect(bool).toMatchObject({ default: true, variants: [true, false] });
    const list = draftToInput(draft({ type: "list", default: '["BTC/USDT"]', variants: '[["a"],["b"]]' })).input;
    expect(list).toMatchObject({ default: ["BTC/USDT"], variants: [["a"], ["b"]] });
  });

  it("names text that cannot be read, without guessing (hex, bad JSON)", () => {
    expect(draftToInput(draft({ type: "number", min: "0x10" })).problems).toEqual({ min: "must be a number" });
    expect(draftToInput(draft({ type: "json", default: "{nope" })).problems).toEqual({ default: "must be valid JSON" });
  });

  it("puts core's schema issues on their fields, as the server would", async () => {
    const { errors } = await resolve(draft({ type: "int", min: "60", max: "50" }));
    expect(errors.min?.message).toBe("min (60) is greater than max (50)");
    const enumWithout = await resolve(draft({ type: "enum" }));
    expect(enumWithout.errors.allowed?.message).toBe("an enum needs at least one allowed value");
    const badVariant = await resolve(draft({ type: "int", max: "10", variants: "5, 20" }));
    expect(badVariant.errors.variants?.message).toBe("item 2: must be at most 10");
    const name = await resolve(draft({ name: "Risk Slippage" }));
    expect(name.errors.name?.message).toMatch(/dotted lower-case path/);
  });

  it("round-trips a definition through the edit form unchanged", async () => {
    const definitions: CatalogParameter[] = [
      catalogParameter.parse({
        name: "a.b",
        type: "number",
        description: "d",
        min: -0.5,
        max: -0.001,
        default: -0.05,
        variants: [-0.1],
      }),
      catalogParameter.parse({ name: "tf", type: "enum", description: "d", allowed: ["5m", "1h"], default: "1h" }),
      catalogParameter.parse({
        name: "pairs",
        type: "list",
        description: "d",
        default: ["BTC/USDT"],
        deprecated: true,
        reason: "r",
      }),
      catalogParameter.parse({ name: "on", type: "bool", description: "d", default: false, strategies: ["S"] }),
      catalogParameter.parse({
        name: "pte_policy",
        type: "enum",
        description: "d",
        allowed: ["ATR0.5_1.5_H4", "ATR1.5_3.0_H5"],
        deprecated_values: {
          "ATR1.5_3.0_H5": { replacement: "ATR0.5_1.5_H4", reason: "incident #673: wrong envelope" },
        },
        comparability: "ignore",
      }),
      catalogParameter.parse({
        name: "lev",
        type: "int",
        description: "d",
        deprecated_values: { "20": { replacement: 5, reason: "too much" } },
      }),
      catalogParameter.parse({
        name: "tags",
        type: "list",
        description: "d",
        deprecated_values: { '["x"]': { replacement: ["y"], reason: "renamed" } },
      }),
    ];
    for (const p of definitions) {
      const { input, problems } = draftToInput(draftOf(p));
      expect(problems).toEqual({});
      expect(catalogParameter.parse(input)).toEqual(p);
      expect((await resolve(draftOf(p))).errors).toEqual({});
    }
  });

  it("reads deprecated values as VALUE -> REPLACEMENT: reason, typed as the parameter, and names a bad line", () => {
    const { input } = draftToInput(
      draft({ type: "number", deprecated_values: "1.5 -> 0.5: incident #673: the old envelope\n\n 2 -> 1: too wide " }),
    );
    expect(input.deprecated_values).toEqual({
      "1.5": { replacement: 0.5, reason: "incident #673: the old envelope" },
      "2": { replacement: 1, reason: "too wide" },
    });
    expect(draftToInput(draft({ deprecated_values: "1.5 to 0.5" })).problems).toEqual({
      deprecated_values: "line 1: write VALUE -> REPLACEMENT: reason",
    });
    expect(draftToInput(draft({ type: "json", deprecated_values: "[1]" })).problems.deprecated_values).toMatch(
      /must be a JSON object/,
    );
  });
});
