import { describe, expect, it } from "vitest";
import { type CatalogParameter, catalogParameter, catalogWarnings } from "../../src/index.js";

const define = (input: Record<string, unknown>): CatalogParameter =>
  catalogParameter.parse({ description: "d", ...input });

describe("the catalog's warnings on resolved values (strict live mode refuses on any)", () => {
  const catalog = [
    define({
      name: "order_type",
      type: "enum",
      allowed: ["market", "limit", "stop"],
      deprecated_values: { stop: { replacement: "limit", reason: "incident #673" } },
      strategies: ["S"],
    }),
    define({
      name: "old_stop",
      type: "number",
      deprecated: true,
      replacement: "risk.stoploss",
      reason: "renamed",
      strategies: ["S"],
    }),
    define({ name: "risk.stoploss", type: "number", strategies: ["S"] }),
    define({ name: "account", type: "string", required: true, strategies: ["S"] }),
    define({ name: "other", type: "number", strategies: ["T"] }),
  ];

  it("names a deprecated value, a deprecated key, an uncatalogued key and a missing required key, sorted by key", () => {
    const values = { order_type: "stop", old_stop: -0.1, risk: { stoploss: -0.05, trail: true }, extra: 1, other: 2 };
    expect(catalogWarnings(catalog, "S", values)).toEqual([
      { key: "account", kind: "missing_required", message: "account is required and has no value" },
      { key: "extra", kind: "uncatalogued", message: "extra is not in the catalog" },
      { key: "old_stop", kind: "deprecated_key", message: "old_stop is deprecated (use risk.stoploss): renamed" },
      {
        key: "order_type",
        kind: "deprecated_value",
        message: 'order_type = "stop" is deprecated (use "limit"): incident #673',
      },
      // a parameter of another strategy does not describe this one
      { key: "other", kind: "uncatalogued", message: "other is not in the catalog" },
      { key: "risk.trail", kind: "uncatalogued", message: "risk.trail is not in the catalog" },
    ]);
  });

  it("has nothing to say of clean values, nor of a strategy the catalog does not describe", () => {
    expect(catalogWarnings(catalog, "S", { order_type: "limit", risk: { stoploss: -0.05 }, account: "a" })).toEqual([]);
    expect(catalogWarnings(catalog, "Unknown", { anything: 1 })).toEqual([]);
  });
});
