import { describe, expect, it } from "vitest";
import { type CatalogParameter, catalogParameter, validateConfigData } from "../../src/index.js";

const define = (input: Record<string, unknown>): CatalogParameter =>
  catalogParameter.parse({ description: "d", ...input });

function problems(input: Record<string, unknown>) {
  const result = catalogParameter.safeParse({ description: "d", ...input });
  return result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.message]);
}

describe("catalog parameter definitions", () => {
  it("fills the documented defaults", () => {
    expect(define({ name: "risk.stoploss", type: "number" })).toMatchObject({
      group: "general",
      required: false,
      deprecated: false,
      reload: "restart",
      criticality: "normal",
      immutable: false,
      strategies: [],
    });
  });

  it.each(["hot", "between_trades", "restart"])("accepts reload %s", (reload) => {
    expect(define({ name: "risk.stake", type: "number", reload }).reload).toBe(reload);
  });

  it.each([
    [{ name: "x", type: "number", min: 5, max: 1 }, "min", /greater than max/],
    [{ name: "x", type: "number", min: 0, max: 1, default: 2 }, "default", /at most 1/],
    [{ name: "x", type: "enum", allowed: ["a", "b"], default: "c" }, "default", /one of "a", "b"/],
    [{ name: "x", type: "enum" }, "allowed", /at least one allowed value/],
    [{ name: "x", type: "enum", allowed: [] }, "allowed", /at least one allowed value/],
    [{ name: "Risk.Stoploss", type: "number" }, "name", /dotted lower-case/],
    [{ name: "risk..stoploss", type: "number" }, "name", /dotted lower-case/],
    [{ name: "x", type: "float" }, "type", /must be one of bool, int/],
    [{ name: "x", type: "string", min: 1 }, "min", /only int, number and number_map parameters have min/],
    [{ name: "x", type: "int", step: 0 }, "step", /positive/],
    [{ name: "x", type: "int", min: 0, step: 5, default: 7 }, "default", /multiple of 5/],
    [{ name: "x", type: "number", variants: [0.1, "high"] }, "variants.1", /must be a number/],
    [{ name: "x", type: "number", replacement: "y" }, "replacement", /only a deprecated/],
    [{ name: "x", type: "secret_ref", default: "hunter2" }, "default", /never the secret itself/],
    [{ name: "x", type: "number", colour: "red" }, "", /colour/],
    [{ name: "x", type: "number", reload: "warm" }, "reload", /^must be one of hot, between_trades, restart, shadow$/],
    [{ name: "x", type: "number", reload: "between-trades" }, "reload", /one of hot, between_trades, restart, shadow/],
  ])("refuses %o at %s", (input, path, message) => {
    const found = problems(input);
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.some(([p, m]) => p === path && message.test(String(m))) ||
        (path === "" && message.test(JSON.stringify(found))),
    ).toBe(true);
  });
});

describe("validateConfigData", () => {
  const catalog = [
    define({ name: "stoploss", type: "number", min: -0.5, max: 0 }),
    define({ name: "risk.max_positions", type: "int", min: 1, max: 20, step: 1 }),
    define({ name: "risk.fraction", type: "number", min: 0, max: 1, step: 0.05 }),
    define({ name: "mode", type: "enum", allowed: ["spot", "futures"] }),
    define({ name: "window", type: "duration" }),
    define({ name: "pairs", type: "list", allowed: ["BTC/USDT", "ETH/USDT"] }),
    define({ name: "api_key", type: "secret_ref" }),
    define({
      name: "old_roi",
      type: "number",
      deprecated: true,
      replacement: "risk.fraction",
      reason: "silently overridden",
    }),
    define({ name: "other_only", type: "bool", strategies: ["OtherStrategy"] }),
  ];
  const check = (data: unknown, policy: "open" | "strict" = "open") =>
    validateConfigData(catalog, "S", policy, data).map((p) => [p.path.join("."), p.message]);

  it("accepts valid data, nested by dotted name", () => {
    expect(
      check({
        stoploss: -0.02,
        risk: { max_positions: 3, fraction: 0.15 },
        mode: "spot",
        window: "15m",
        pairs: ["BTC/USDT"],
        api_key: "vault://trading/key",
        free: "anything goes under open",
      }),
    ).toEqual([]);
  });

  it("names each offending path with why", () => {
    const found = check({
      stoploss: -0.9,
      risk: { max_positions: 2.5, fraction: 0.12 },
      mode: "margin",
      window: "soon",
      pairs: ["BTC/USDT", "DOGE/USDT"],
      api_key: "plain-secret",
    });
    expect(Object.fromEntries(found)).toMatchObject({
      stoploss: "must be at least -0.5",
      "risk.max_positions": "must be a whole number",
      "risk.fraction": "must be a multiple of 0.05 from 0",
      mode: 'must be one of "spot", "futures"',
      window: "must be a duration such as 30s, 15m, 4h",
      pairs: expect.stringMatching(/every item must be one of/),
      api_key: expect.stringMatching(/never the secret itself/),
    });
  });

  it("refuses a deprecated parameter naming its replacement", () => {
    expect(check({ old_roi: 0.1 })).toEqual([
      ["old_roi", "old_roi is deprecated; use risk.fraction instead (silently overridden)"],
    ]);
  });

  it("refuses unknown keys only under the strict policy, naming them", () => {
    expect(check({ typo_stoplos: 1 }, "open")).toEqual([]);
    expect(check({ typo_stoplos: 1, risk: { extra: true } }, "strict")).toEqual([
      ["risk.extra", "is an unknown parameter: S's catalog does not describe it and its policy is strict"],
      ["typo_stoplos", "is an unknown parameter: S's catalog does not describe it and its policy is strict"],
    ]);
  });

  it("ignores parameters that apply to other strategies", () => {
    expect(check({ other_only: "not a bool" })).toEqual([]);
    expect(validateConfigData(catalog, "OtherStrategy", "open", { other_only: "x" })).toHaveLength(1);
  });

  it("a value of the wrong shape where a group is expected", () => {
    expect(check({ risk: 5 })).toEqual([["risk", "must be an object"]]);
  });
});
