import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, numberRoundTrips, parseStrictJson, StrictJsonError } from "../../src/index.js";

function issuesOf(text: string, maxDepth?: number) {
  try {
    parseStrictJson(text, maxDepth === undefined ? {} : { maxDepth });
  } catch (error) {
    if (error instanceof StrictJsonError) return { kind: error.kind, issues: error.issues };
    throw error;
  }
  return undefined;
}

const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`;

describe("parseStrictJson", () => {
  it("names the path of every duplicate key, however deep", () => {
    const result = issuesOf('{"a":{"b":[{"c":1,"c":2}]},"x":1,"x":2}');
    expect(result?.kind).toBe("meaning");
    expect(result?.issues.map((i) => i.path)).toEqual([["a", "b", 0, "c"], ["x"]]);
  });

  it("treats keys spelled with different escapes as the same key", () => {
    expect(issuesOf('{"A":1,"\\u0041":2}')?.issues[0]?.message).toMatch(/duplicate key "A"/);
  });

  it("refuses __proto__, constructor and prototype without touching Object.prototype", () => {
    const result = issuesOf('{"__proto__":{"polluted":true},"x":{"constructor":{}},"prototype":1}');
    expect(result?.issues.map((i) => i.path)).toEqual([["__proto__"], ["x", "constructor"], ["prototype"]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}, naming where`, () => {
    expect(issuesOf(nested(MAX_JSON_DEPTH))).toBeUndefined();
    const result = issuesOf(nested(MAX_JSON_DEPTH + 1));
    expect(result?.kind).toBe("meaning");
    expect(result?.issues[0]?.path).toHaveLength(MAX_JSON_DEPTH);
    expect(result?.issues[0]?.message).toMatch(/nesting deeper than 32/);
  });

  it("refuses pathological nesting without overflowing the stack", () => {
    expect(issuesOf("[".repeat(500_000) + "]".repeat(500_000))?.issues[0]?.message).toMatch(/nesting deeper/);
  });

  it("reports malformed text as a syntax problem", () => {
    for (const text of ["{", '{"a":}', "{'a':1}", '{"a":1,}', "[1 2]", "NaN", '{"a":01}']) {
      expect(issuesOf(text)?.kind, text).toBe("syntax");
    }
  });

  it("returns ordinary objects with the values written", () => {
    const value = parseStrictJson('{"a":[1,"two",true,null,{"b":-0.5}]}') as Record<string, unknown>;
    expect(value).toEqual({ a: [1, "two", true, null, { b: -0.5 }] });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});

describe("numberRoundTrips", () => {
  it.each([
    "0",
    "-0",
    "1",
    "1.0",
    "1.50",
    "0.1",
    "1e2",
    "1E+2",
    "-2e-3",
    "9007199254740992",
    "5e-324",
    "1.7976931348623157e308",
    "123456789012345680000",
  ])("%s survives a round trip through a double", (raw) => expect(numberRoundTrips(raw)).toBe(true));
  it.each([
    "9007199254740993",
    "12345678901234567890",
    "0.30000000000000000001",
    "1e400",
    "1e-400",
    "2.4703282292062328e-324",
  ])("%s does not", (raw) => expect(numberRoundTrips(raw)).toBe(false));
});
