import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type CoherenceRule, checkRule, evaluateRules, referencedParameters } from "../../src/catalog/rules.js";

const rule = (expression: string, name = "r"): CoherenceRule => ({ name, expression, message: `${name} violated` });
const known = ["take_profit", "stoploss", "risk.max_position", "risk.max_exposure", "risk.stoploss", "mode", "pairs"];

describe("referencedParameters", () => {
  it("lists top-level and dotted names in order of first use, once each", () => {
    expect(referencedParameters("take_profit > -stoploss")).toEqual(["take_profit", "stoploss"]);
    expect(referencedParameters("risk.max_position <= risk.max_exposure && risk.max_position > 0")).toEqual([
      "risk.max_position",
      "risk.max_exposure",
    ]);
    expect(referencedParameters('risk["stoploss"] < 0')).toEqual(["risk.stoploss"]);
  });

  it("leaves out comprehension and bind variables, and CEL's own names", () => {
    expect(referencedParameters('pairs.all(p, p.endsWith("/USDT") && p != mode)')).toEqual(["pairs", "mode"]);
    expect(referencedParameters("pairs.exists(i, v, v == mode)")).toEqual(["pairs", "mode"]);
    expect(referencedParameters("cel.bind(x, risk.stoploss * 2.0, x < take_profit)")).toEqual([
      "risk.stoploss",
      "take_profit",
    ]);
    expect(referencedParameters("size(pairs) > 0")).toEqual(["pairs"]);
  });

  it("throws on an expression that does not parse", () => {
    expect(() => referencedParameters("take_profit >")).toThrow();
  });
});

describe("checkRule", () => {
  it("accepts a well-formed boolean rule over known parameters", () => {
    expect(checkRule(rule("take_profit > -stoploss"), known)).toEqual([]);
    expect(checkRule(rule("risk.max_position <= risk.max_exposure"), known)).toEqual([]);
    expect(checkRule(rule('mode in ["a", "b"] && size(pairs) > 0'), known)).toEqual([]);
    expect(checkRule(rule("!has(risk.stoploss) || risk.stoploss < 0"), known)).toEqual([]);
  });

  it("refuses a parse error, saying where", () => {
    const problems = checkRule(rule("take_profit > > stoploss"), known);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^expression does not parse: .*column \d+/);
  });

  it("refuses an empty expression", () => {
    expect(checkRule(rule("  "), known)).toEqual(["expression is empty"]);
  });

  it("refuses unknown parameters, naming each", () => {
    expect(checkRule(rule("take_profit > -stoplos && risk.max_exposur > 0"), known)).toEqual([
      'unknown parameter "stoplos"',
      'unknown parameter "risk.max_exposur"',
    ]);
    // a group is not a parameter; a name inside a known parameter (a json value) is fine
    expect(checkRule(rule("size(risk) > 0"), known)).toEqual(['unknown parameter "risk"']);
    expect(checkRule(rule("mode.sub == 1"), known)).toEqual([]);
    expect(checkRule(rule("has(risk.stoplos)"), known)).toEqual(['unknown parameter "risk.stoplos"']);
  });

  it("refuses an expression that is not boolean-valued when that is known", () => {
    expect(checkRule(rule("size(pairs) + 1"), known)).toEqual([
      "expression must be true or false, but it gives a value of type int",
    ]);
    expect(checkRule(rule('mode + "x"'), known)).toEqual([
      "expression must be true or false, but it gives a value of type string",
    ]);
    expect(checkRule(rule("take_profit"), known)).toEqual([]); // a bare parameter may be a bool: checked when evaluated
  });

  it("refuses type errors it can see, unknown functions and constant expressions", () => {
    expect(checkRule(rule('1 + "a" > take_profit'), known)[0]).toMatch(/^expression is not valid: no such overload/);
    expect(checkRule(rule("frobnicate(take_profit)"), known)[0]).toMatch(/^expression is not valid: .*frobnicate/);
    expect(checkRule(rule("1 < 2"), known)).toEqual([
      "expression references no parameter, so its result never changes",
    ]);
  });

  it("checks the rule's name and message", () => {
    expect(checkRule({ name: "Bad-Name", expression: "take_profit > 0", message: " " }, known)).toEqual([
      `rule name "Bad-Name" must be lower-case letters, digits and '_', starting with a letter`,
      "message must say what is wrong when the rule is violated",
    ]);
  });
});

describe("evaluateRules", () => {
  const tpBeyondSl = rule("take_profit > -stoploss", "take_profit_beyond_stoploss");

  it("passes and fails take_profit > -stoploss on numbers", () => {
    expect(evaluateRules([tpBeyondSl], { take_profit: 0.03, stoploss: -0.02 })).toEqual([]);
    expect(evaluateRules([tpBeyondSl], { take_profit: 0.01, stoploss: -0.02 })).toEqual([
      { rule: "take_profit_beyond_stoploss", message: "take_profit_beyond_stoploss violated" },
    ]);
    expect(evaluateRules([tpBeyondSl], { take_profit: 0.02, stoploss: -0.02 })).toHaveLength(1);
  });

  it("compares whole numbers with fractions and with int literals exactly", () => {
    expect(evaluateRules([tpBeyondSl], { take_profit: 1, stoploss: -0.5 })).toEqual([]);
    expect(evaluateRules([tpBeyondSl], { take_profit: 0.5, stoploss: -1 })).toHaveLength(1);
    expect(evaluateRules([rule("take_profit > 0")], { take_profit: 0.5 })).toEqual([]);
    expect(evaluateRules([rule("take_profit == 1")], { take_profit: 1 })).toEqual([]);
    expect(evaluateRules([rule("take_profit > 1")], { take_profit: 1 })).toHaveLength(1);
    // 2^53 + 1 is not a double: an exact comparison says the double 2^53 is smaller
    expect(evaluateRules([rule("take_profit < 9007199254740993")], { take_profit: 9007199254740992 })).toEqual([]);
  });

  it("does arithmetic mixing config numbers with int literals", () => {
    const r = rule("take_profit >= 2 * -stoploss");
    expect(evaluateRules([r], { take_profit: 0.04, stoploss: -0.02 })).toEqual([]);
    expect(evaluateRules([r], { take_profit: 0.03, stoploss: -0.02 })).toHaveLength(1);
    expect(
      evaluateRules([rule("size(pairs) * 0.5 <= take_profit + 1")], { pairs: ["a", "b"], take_profit: 0 }),
    ).toEqual([]);
  });

  it("reads nested values by dotted name", () => {
    const r = rule("risk.max_position <= risk.max_exposure");
    expect(evaluateRules([r], { risk: { max_position: 100, max_exposure: 500 } })).toEqual([]);
    expect(evaluateRules([r], { risk: { max_position: 600, max_exposure: 500 } })).toHaveLength(1);
  });

  it("skips a rule whose parameters are not all present", () => {
    expect(evaluateRules([tpBeyondSl], { take_profit: 0.01 })).toEqual([]);
    expect(evaluateRules([rule("risk.max_position <= risk.max_exposure")], { risk: { max_position: 1 } })).toEqual([]);
    expect(evaluateRules([rule("risk.stoploss < 0")], {})).toEqual([]);
    expect(evaluateRules([rule("risk.stoploss < 0")], { risk: 5 })).toEqual([]);
    expect(evaluateRules([rule("pairs.length > 0")], { pairs: ["a"] })).toEqual([]); // not a list's JS property
  });

  it("evaluates has() without requiring the value", () => {
    const r = rule("!has(risk.take_profit) || has(risk.stoploss)", "stoploss_with_take_profit");
    expect(evaluateRules([r], {})).toEqual([]);
    expect(evaluateRules([r], { risk: { take_profit: 0.1, stoploss: -0.05 } })).toEqual([]);
    expect(evaluateRules([r], { risk: { take_profit: 0.1 } })).toEqual([
      { rule: "stoploss_with_take_profit", message: "stoploss_with_take_profit violated" },
    ]);
  });

  it("reports a type error as a violation with the reason", () => {
    const [violation, ...rest] = evaluateRules([tpBeyondSl], { take_profit: "high", stoploss: -0.02 });
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      rule: "take_profit_beyond_stoploss",
      message: "take_profit_beyond_stoploss violated",
    });
    expect(violation?.detail).toMatch(/^no such overload: string > double \(at column 1\)$/);
    expect(evaluateRules([tpBeyondSl], { take_profit: 0.03, stoploss: "x" })[0]?.detail).toMatch(/no such overload/);
  });

  it("reports a non-boolean result and an unparseable rule as violations", () => {
    expect(evaluateRules([rule("take_profit")], { take_profit: 0.5 })).toEqual([
      { rule: "r", message: "r violated", detail: "the rule gave the number 0.5 instead of true or false" },
    ]);
    expect(evaluateRules([rule("take_profit >")], { take_profit: 0.5 })[0]?.detail).toMatch(/^the rule does not parse/);
  });

  it("handles string, bool and list parameters", () => {
    const rules = [
      rule('mode in ["a", "b"]', "mode_known"),
      rule("size(pairs) > 0", "has_pairs"),
      rule('!dry_run || mode == "a"', "dry_run_mode"),
      rule('pairs.all(p, p.endsWith("/USDT"))', "usdt_pairs"),
    ];
    expect(evaluateRules(rules, { mode: "a", pairs: ["BTC/USDT"], dry_run: true })).toEqual([]);
    expect(evaluateRules(rules, { mode: "c", pairs: [], dry_run: true }).map((v) => v.rule)).toEqual([
      "mode_known",
      "has_pairs",
      "dry_run_mode",
    ]);
    expect(evaluateRules(rules, { mode: "b", pairs: ["ETH/BTC"], dry_run: false }).map((v) => v.rule)).toEqual([
      "usdt_pairs",
    ]);
    expect(evaluateRules([rule("leverage in [1, 2.5, 5]")], { leverage: 5 })).toEqual([]);
  });

  it("reads only the values' own keys, and leaves the values untouched", () => {
    expect(evaluateRules([rule("constructor == 1")], {})).toEqual([]);
    expect(evaluateRules([rule('has(risk.constructor) || "constructor" in risk')], { risk: {} })).toHaveLength(1);
    const values = { risk: {} };
    evaluateRules([rule("has(risk.stoploss) || has(limits.max)")], values);
    expect(values).toEqual({ risk: {} });
  });

  it("reports every violated rule, in order", () => {
    const rules = [rule("take_profit > 1", "a"), rule("take_profit > 0", "b"), rule("take_profit > 2", "c")];
    expect(evaluateRules(rules, { take_profit: 0.5 }).map((v) => v.rule)).toEqual(["a", "c"]);
  });
});

describe("rules.ts", () => {
  it("never evaluates JavaScript source", () => {
    const source = readFileSync(new URL("../../src/catalog/rules.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(/);
  });
});
