/** Every Zod issue kind, worded by the platform's error map: the rule and what was given, no library wording. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createConfigBody, fieldErrorsDetail, fieldSentence, loginBody } from "../../src/index.js";

/** Zod's own English (the default locale) has these; the platform's words never do. */
const LIBRARY_WORDING = [
  /Invalid input/,
  /expected /,
  /received /,
  /Too small/,
  /Too big/,
  />=|<=/,
  /Unrecognized key/,
];

/** The sentence for each issue of parsing `input` with `schema`, field first. */
function sentences(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the input to be refused");
  return result.error.issues.map((i) => fieldSentence(i.path.map(String).join("."), i.message));
}

const one = (schema: z.ZodType, value: unknown) => sentences(z.object({ v: schema }), { v: value });

describe("the platform's error map", () => {
  const cases: [string, z.ZodType, unknown, string][] = [
    ["text for a list", z.array(z.string()), "BTC/USDT", "v must be a list of strings, got text"],
    ["a number for text", z.string(), 5, "v must be text, got 5"],
    ["a list for an object", z.object({}), [1], "v must be an object, got a list"],
    ["nothing for text", z.string(), undefined, "v is required and must be text"],
    ["null for a boolean", z.boolean(), null, "v must be true or false, got null"],
    [
      "text for a bounded whole number",
      z.int().min(1).max(500),
      "x",
      "v must be a whole number from 1 to 500, got text",
    ],
    ["a fraction for a whole number", z.number().int().min(1), 1.5, "v must be a whole number of at least 1, got 1.5"],
    [
      "query text for a number",
      z.coerce.number().int().min(0),
      "abc",
      "v must be a whole number of at least 0, got text that is not a number",
    ],
    ["a number below its minimum", z.number().min(1).max(500), 0, "v must be a number from 1 to 500, got 0"],
    ["a number above its maximum", z.number().max(10), 11, "v must be a number of at most 10, got 11"],
    ["zero for a positive number", z.number().positive(), 0, "v must be a number greater than 0, got 0"],
    ["an empty string", z.string().min(1), "", "v must not be empty"],
    ["a short string", z.string().min(3), "ab", "v must be at least 3 characters long, got 2 characters"],
    ["a long string", z.string().max(4), "abcde", "v must be at most 4 characters long, got 5 characters"],
    ["an exact length", z.string().length(2), "abc", "v must be exactly 2 characters long, got 3 characters"],
    ["an empty list", z.array(z.string()).min(1), [], "v must list at least one item"],
    ["a long list", z.array(z.number()).max(2), [1, 2, 3], "v must have at most 2 items, got 3"],
    ["a bad email", z.email(), "x", "v must be an email address"],
    ["a bad UUID", z.uuid(), "x", "v must be a UUID such as 0b9c4d6e-2f1a-4c3b-9d8e-7f6a5b4c3d2e"],
    ["a bad time", z.iso.datetime(), "noon", "v must be an ISO 8601 time such as 2026-01-31T12:00:00Z"],
    ["a missing prefix", z.string().startsWith("vault://"), "x", 'v must start with "vault://"'],
    ["a pattern", z.string().regex(/^[a-z]+$/), "A", "v must match the pattern /^[a-z]+$/"],
    ["lower case", z.string().lowercase(), "A", "v must be in lower case"],
    ["a multiple", z.number().multipleOf(5), 7, "v must be a multiple of 5, got 7"],
    ["an enum value", z.enum(["asc", "desc"]), "up", 'v must be one of "asc", "desc", got "up"'],
    ["a literal", z.literal("x"), "y", 'v must be "x", got "y"'],
    ["a missing enum value", z.enum(["asc", "desc"]), undefined, 'v is required and must be one of "asc", "desc"'],
    ["a union of types", z.union([z.string(), z.number()]), true, "v must be text or a number, got true"],
    ["a custom refinement", z.number().refine((n) => n % 2 === 0), 3, "v is not valid"],
    ["never", z.never(), 1, "v must be left out"],
    ["a date for a date", z.date(), "2026", "v must be a date, got text"],
  ];
  for (const [name, schema, value, expected] of cases) {
    it(`words ${name}`, () => {
      expect(one(schema, value)).toEqual([expected]);
    });
  }

  it("words unknown keys, a discriminator, a record key and a near-miss union", () => {
    expect(sentences(z.strictObject({ a: z.string() }), { a: "x", b: 1, c: 2 })).toEqual([
      'has unknown fields "b", "c"',
    ]);
    const shapes = z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("fixed"), at: z.number() }),
      z.object({ kind: z.literal("trailing"), by: z.number() }),
    ]);
    expect(one(shapes, { kind: "other" })).toEqual(['v.kind must be one of "fixed", "trailing", got "other"']);
    expect(one(z.record(z.string().regex(/^[a-z]+$/), z.number()), { A: 1 })).toEqual([
      "v.A is a key that must match the pattern /^[a-z]+$/",
    ]);
    const nearMiss = z.union([z.object({ at: z.number() }), z.string()]);
    expect(one(nearMiss, { at: "x" })).toEqual(["v is not valid: at must be a number, got text"]);
  });

  it("keeps a schema's own message, and says 'is required' for a missing config_data", () => {
    expect(sentences(createConfigBody, { strategy_name: "S" })).toEqual([
      "config_data is required and must be an object",
    ]);
    expect(sentences(createConfigBody, { strategy_name: "S", config_data: [] })).toEqual([
      "config_data must be a JSON object",
    ]);
    expect(sentences(loginBody, { username: "", password: "x" })).toEqual(["username must not be empty"]);
  });

  it("never uses the library's wording", () => {
    const all = cases.flatMap(([, schema, value]) => one(schema, value));
    for (const sentence of all) for (const pattern of LIBRARY_WORDING) expect(sentence).not.toMatch(pattern);
  });
});

describe("field sentences", () => {
  it("puts the field before a predicate, after a colon otherwise, and not twice", () => {
    expect(fieldSentence("limit", "must be a whole number")).toBe("limit must be a whole number");
    expect(fieldSentence("environment", 'unknown environment "qa"')).toBe('environment: unknown environment "qa"');
    expect(fieldSentence("name", "name is taken")).toBe("name is taken");
    expect(fieldSentence("(body)", "must be an object, got a list")).toBe(
      "the request body must be an object, got a list",
    );
  });

  it("joins a problem's errors into its detail", () => {
    expect(
      fieldErrorsDetail([
        { field: "limit", message: "must be a whole number from 1 to 500, got 0" },
        { field: "order", message: 'must be one of "asc", "desc", got "up"' },
      ]),
    ).toBe('limit must be a whole number from 1 to 500, got 0; order must be one of "asc", "desc", got "up"');
  });
});
