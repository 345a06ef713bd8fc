import { describe, expect, it } from "vitest";
import { inferCatalog } from "../../src/import/legacy-catalog.js";
import { PythonLiteralError, pythonAssignment } from "../../src/import/python-literal.js";

const STREAMLIT = `
import streamlit as st  # the legacy admin tool

PARAM_OPTIONS = {
    # risk
    "stoploss": [-0.02, -0.05, -0.1],
    "max_open_trades": (1, 3, 5,),
    'use_trailing': [True, False],
    "Order-Type": ["market", 'limit'],
    "features": {"rsi_period": [7, 14, 21], "ema_fast": [8, 12]},
    "weird": [1, "a"],
}
PARAM_DESCRIPTIONS: dict = {
    "stoploss": "Stop loss, as a fraction "
                "of the stake",
    "use_trailing": """Trail the stop
once in profit""",
    "rsi_period": r'RSI window (\\d bars)',
}

def page():
    st.selectbox("stoploss", PARAM_OPTIONS["stoploss"])
`;

describe("reading the legacy catalog from Python source, without running it", () => {
  it("reads dicts, lists, tuples, booleans, numbers, comments, adjacent and triple-quoted strings", () => {
    expect(pythonAssignment(STREAMLIT, "PARAM_OPTIONS")).toEqual({
      stoploss: [-0.02, -0.05, -0.1],
      max_open_trades: [1, 3, 5],
      use_trailing: [true, false],
      "Order-Type": ["market", "limit"],
      features: { rsi_period: [7, 14, 21], ema_fast: [8, 12] },
      weird: [1, "a"],
    });
    expect(pythonAssignment(STREAMLIT, "PARAM_DESCRIPTIONS")).toEqual({
      stoploss: "Stop loss, as a fraction of the stake",
      use_trailing: "Trail the stop\nonce in profit",
      rsi_period: "RSI window (\\d bars)",
    });
  });

  it("refuses anything that is not a literal, naming the line, and never runs it", () => {
    const source = 'PARAM_OPTIONS = {\n  "a": __import__("os").system("echo pwned"),\n}';
    expect(() => pythonAssignment(source, "PARAM_OPTIONS")).toThrow(PythonLiteralError);
    expect(() => pythonAssignment(source, "PARAM_OPTIONS")).toThrow(/line 2: not a literal/);
    expect(() => pythonAssignment("X = 1", "PARAM_OPTIONS")).toThrow(/no top-level assignment to PARAM_OPTIONS/);
  });

  it("infers types, allowed values, descriptions, groups and defaults, and says what it could not", () => {
    const { parameters, notes } = inferCatalog({
      options: pythonAssignment(STREAMLIT, "PARAM_OPTIONS"),
      descriptions: pythonAssignment(STREAMLIT, "PARAM_DESCRIPTIONS"),
      strategy: "FTF",
      current: { stoploss: -0.05, max_open_trades: 4, use_trailing: true },
    });
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p]));
    expect(byName.stoploss).toMatchObject({
      type: "number",
      allowed: [-0.02, -0.05, -0.1],
      default: -0.05,
      description: "Stop loss, as a fraction of the stake",
      strategies: ["FTF"],
      reload: "restart",
    });
    expect(byName.max_open_trades).toMatchObject({ type: "int", allowed: [1, 3, 5] });
    expect(byName.max_open_trades?.default).toBeUndefined(); // 4 is not among its options
    expect(byName.use_trailing).toMatchObject({ type: "bool", default: true });
    expect(byName.order_type).toMatchObject({ type: "enum", allowed: ["market", "limit"] });
    expect(byName.rsi_period).toMatchObject({ type: "int", group: "features", description: "RSI window (\\d bars)" });
    expect(byName.weird).toMatchObject({ type: "json" });
    expect(notes).toEqual(
      expect.arrayContaining([
        "Order-Type: named order_type (catalog names are lower case, digits and _)",
        "max_open_trades: the live row's 4 is not among its options: no default",
        "ema_fast: no description in PARAM_DESCRIPTIONS",
        expect.stringMatching(/^weird: options of mixed types/),
        expect.stringMatching(/^every parameter: reload class restart/),
      ]),
    );
  });
});
