/**
 * The strict parser's fast path (JSON.parse plus a scan) must answer exactly as the tree parser:
 * the same value for clean text, the same refusal (kind, issues) for everything else. Random JSON
 * texts are made dirty on purpose: duplicate keys, inexact numbers, forbidden keys, lone
 * surrogates, deep nesting, broken syntax.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStrictJson, parseStrictJsonByTree, StrictJsonError } from "../../src/index.js";

function answer(parse: () => unknown) {
  try {
    return { value: parse() };
  } catch (error) {
    if (error instanceof StrictJsonError) return { kind: error.kind, issues: error.issues };
    throw error;
  }
}

const key = fc.oneof(
  fc.constantFrom("a", "b", "stoploss", "__proto__", "constructor", "prototype", "\uD800x", "é", 'q"uote'),
  fc.string({ maxLength: 6 }),
);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom(
    "1.0",
    "1e2",
    "0.1",
    "-0",
    "-0.0",
    "12345678901234567890",
    "1e400",
    "1e-400",
    "0.1000000000000000055511151231257827",
    "9007199254740993",
    "123456789012345",
    "0.000000000000001",
  ),
);
/** JSON text with a chance of every kind of trouble, built as text so duplicates survive. */
const text: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    number,
    fc.constantFrom("true", "false", "null"),
    fc
      .oneof(fc.string({ maxLength: 8 }), fc.constantFrom("\uDC00", "ok\uD83D\uDE00", "\uD83D"))
      .map((s) => JSON.stringify(s)),
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
  object: fc.array(fc.tuple(key, tie("value"), fc.boolean()), { maxLength: 4 }).map((members) => {
    const parts = members.map(([k, v]) => `${JSON.stringify(k)} : ${v}`);
    // Sometimes repeat the first member: a duplicate key.
    if (members[0]?.[2] && parts[0]) parts.push(parts[0]);
    return `{${parts.join(",")}}`;
  }),
})).value as fc.Arbitrary<string>;

describe("parseStrictJson's fast path", () => {
  it("answers exactly as the tree parser, for random clean and dirty texts", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 4 }), fc.boolean(), (t, maxDepth, breakIt) => {
        const input = breakIt ? `${t} ,` : t;
        expect(answer(() => parseStrictJson(input, { maxDepth }))).toEqual(
          answer(() => parseStrictJsonByTree(input, maxDepth)),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("is taken for clean text and declines the rest (the tree parser names the issue)", () => {
    expect(parseStrictJson('{"a":[1,2.5,{"b":"x"}],"c":null}')).toEqual({ a: [1, 2.5, { b: "x" }], c: null });
    expect(() => parseStrictJson('{"a":1,"a":1}')).toThrow('a: duplicate key "a"');
    // 1e-400 written out: no exponent, yet no double can hold it
    expect(() => parseStrictJson(`{"a":0.${"0".repeat(399)}1}`)).toThrow("cannot be held exactly");
  });
});
