import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash, parseStrictJson, StrictJsonError, sha256Hex } from "../../src/index.js";

interface Vector {
  name: string;
  input: string;
  canonical?: string;
  sha256?: string;
  refused?: string;
}

const { vectors } = JSON.parse(readFileSync(new URL("../vectors/canonical-json.json", import.meta.url), "utf8")) as {
  vectors: Vector[];
};

describe("canonical JSON test vectors (hashes computed outside this code base)", () => {
  for (const v of vectors.filter((x) => x.canonical !== undefined)) {
    it(v.name, () => {
      const value = parseStrictJson(v.input);
      expect(canonicalJson(value)).toBe(v.canonical);
      expect(contentHash(value)).toBe(v.sha256);
      expect(sha256Hex(v.canonical as string)).toBe(v.sha256);
    });
  }
  for (const v of vectors.filter((x) => x.refused !== undefined)) {
    it(v.name, () => {
      expect(() => parseStrictJson(v.input)).toThrow(v.refused);
    });
  }
  it("has vectors of both kinds", () => {
    expect(vectors.filter((v) => v.canonical).length).toBeGreaterThanOrEqual(10);
    expect(vectors.filter((v) => v.refused).length).toBeGreaterThanOrEqual(5);
  });
});

describe("canonicalJson", () => {
  it("refuses values with no JSON form", () => {
    expect(() => canonicalJson(Number.NaN as never)).toThrow();
    expect(() => canonicalJson("\ud800" as never)).toThrow(/surrogate/i);
  });
  it("gives the same hash for the same content however it was written", () => {
    const a = parseStrictJson('{"stoploss":-0.02,"timeframe":"1h","stake_amount":150.0}');
    const b = parseStrictJson('{\n "timeframe": "\\u0031h", "stake_amount": 1.5e2, "stoploss": -2e-2 }');
    expect(contentHash(a)).toBe(contentHash(b));
  });
  it("StrictJsonError carries its kind", () => {
    try {
      parseStrictJson("{");
    } catch (error) {
      expect(error).toBeInstanceOf(StrictJsonError);
      expect((error as StrictJsonError).kind).toBe("syntax");
    }
    expect.assertions(2);
  });
});
