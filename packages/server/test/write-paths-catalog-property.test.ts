/**
 * Property: whatever path a value takes to the store (a version through the API that the CLI and
 * the console use, a version through the config-versions import, an environment's base values), it
 * is stored exactly when its catalogued type allows it. The oracle restates each type's rule by
 * hand; random catalog parameters of every type meet random JSON values, near and far from valid.
 * A refused write leaves no trace. (Run requests: runs-catalog-property.test.ts.)
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

type Definition =
  | { type: "bool" | "string" | "duration" | "list" | "secret_ref" }
  | { type: "int" | "number" | "number_map"; min: number; max: number }
  | { type: "enum"; allowed: string[] };

const bounded = (type: "int" | "number" | "number_map") =>
  fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 }))
    .map(([min, span]): Definition => ({ type, min, max: min + span }));
const definition: fc.Arbitrary<Definition> = fc.oneof(
  fc.constantFrom<Definition>(
    { type: "bool" },
    { type: "string" },
    { type: "duration" },
    { type: "list" },
    { type: "secret_ref" },
  ),
  bounded("int"),
  bounded("number"),
  bounded("number_map"),
  fc.uniqueArray(fc.constantFrom("a", "b", "5m"), { minLength: 1, maxLength: 3 }).map(
    (allowed): Definition => ({
      type: "enum",
      allowed,
    }),
  ),
);

const scalar = fc.oneof(
  fc.boolean(),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom("a", "b", "5m", "30s", "90x", "", "vault://trading/key", "not a ref", "1.5"),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.array(fc.oneof(scalar, fc.constant(null), fc.constant({})), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("0", "30", "1.5", "ten", "-1", "01"), fc.oneof(scalar, fc.constant(null)), {
    maxKeys: 3,
  }),
);

/** Values made for the definition: mostly allowed, some just outside (the oracle still decides). */
function near(d: Definition): fc.Arbitrary<unknown> {
  switch (d.type) {
    case "bool":
      return fc.boolean();
    case "string":
      return fc.string({ maxLength: 5 });
    case "int":
      return fc.integer({ min: d.min - 1, max: d.max + 1 });
    case "number":
      return fc.double({ min: d.min - 0.5, max: d.max + 0.5, noNaN: true });
    case "enum":
      return fc.constantFrom(...d.allowed, "z");
    case "duration":
      return fc.constantFrom("30s", "15m", "4h", "2d", "90x");
    case "secret_ref":
      return fc.constantFrom("vault://trading/key", "env://API_KEY", "plain-secret");
    case "list":
      return fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean()), { maxLength: 3 });
    case "number_map":
      return fc.dictionary(fc.constantFrom("0", "30", "60", "1.5", "ten"), fc.integer({ min: d.min - 1, max: d.max }), {
        maxKeys: 3,
      });
  }
}

const inRange = (v: unknown, d: { min: number; max: number }) => typeof v === "number" && v >= d.min && v <= d.max;

/** The catalog's rules, restated by hand. */
function allowed(d: Definition, v: unknown): boolean {
  switch (d.type) {
    case "bool":
      return typeof v === "boolean";
    case "string":
      return typeof v === "string";
    case "int":
      return Number.isInteger(v) && inRange(v, d);
    case "number":
      return inRange(v, d);
    case "enum":
      return typeof v === "string" && d.allowed.includes(v);
    case "duration":
      return typeof v === "string" && /^\d+(ms|s|m|h|d|w)$/.test(v);
    case "secret_ref":
      return typeof v === "string" && /^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(v);
    case "list":
      return Array.isArray(v) && v.every((i) => ["string", "number", "boolean"].includes(typeof i));
    case "number_map":
      return (
        typeof v === "object" &&
        v !== null &&
        !Array.isArray(v) &&
        Object.entries(v).every(([key, item]) => /^(0|[1-9]\d*)(\.\d+)?$/.test(key) && inRange(item, d))
      );
  }
}

describe(`every write path stores a value exactly when its catalogued type allows it (${backend})`, () => {
  let p: TestPlatform;
  let n = 0;
  const stored = async () =>
    (
      await p.db.query<{ versions: number; base: number }>(
        "SELECT (SELECT count(*)::int FROM config_versions) AS versions, (SELECT count(*)::int FROM environment_bases) AS base",
      )
    ).rows[0] as { versions: number; base: number };

  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p?.close());

  it("over random parameters of every type and random values", async () => {
    const tally = { accepted: 0, refused: 0, types: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(
        definition.chain((d) => fc.tuple(fc.constant(d), fc.oneof(value, near(d)))),
        async ([d, v]) => {
          const run = ++n;
          const name = `w${run}_value`;
          await p.api.createParameter({ name, description: "random", ...d });
          const ok = allowed(d, v);
          const why = `${JSON.stringify(d)} with ${JSON.stringify(v)}`;
          const before = await stored();

          // 1. A version, as the API, the CLI and the console send it.
          const created = await p.http(
            "/api/v1/configs",
            postJson(JSON.stringify({ strategy_name: `Prop${run}`, config_data: { [name]: v } })),
          );
          expect(created.status, `configs: ${why}: ${JSON.stringify(created.body)}`).toBe(ok ? 201 : 422);
          if (!ok) expect(created.body.errors[0].field).toMatch(new RegExp(`^config_data\\.${name}([.[]|$)`));

          // 2. A version through the legacy registry's import.
          const imported = await p.http(
            "/api/v1/imports/config-versions",
            postJson(
              JSON.stringify({
                source: "property",
                environment: "dev",
                items: [
                  {
                    strategy_name: `Imported${run}`,
                    config_id: "legacy-1",
                    config_data: { [name]: v },
                    status: "DRAFT",
                    version_number: 1,
                  },
                ],
                apply: true,
              }),
            ),
          );
          expect(imported.status === 200, `import: ${why}: ${JSON.stringify(imported.body)}`).toBe(ok);

          // 3. An environment's base values (they reach every strategy's runs and workers).
          const base = await p.http("/api/v1/environments/dev/base", {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ values: { [name]: v } }),
          });
          expect(base.status, `base: ${why}: ${JSON.stringify(base.body)}`).toBe(ok ? 200 : 422);

          const after = await stored();
          if (ok) {
            tally.accepted += 1;
            expect(after.versions).toBe(before.versions + 2);
          } else {
            tally.refused += 1;
            expect(after).toEqual(before);
          }
          tally.types.add(d.type);
        },
      ),
      {
        numRuns: Number(process.env.TRADAI_PROPERTY_RUNS ?? 150),
        ...(process.env.TRADAI_PROPERTY_SEED === "random"
          ? {}
          : { seed: Number(process.env.TRADAI_PROPERTY_SEED ?? 20261207) }),
      },
    );
    expect(tally.accepted).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(5);
    expect([...tally.types].sort()).toEqual([
      "bool",
      "duration",
      "enum",
      "int",
      "list",
      "number",
      "number_map",
      "secret_ref",
      "string",
    ]);
    console.log(`write-paths property: ${tally.accepted} accepted, ${tally.refused} refused`);
  });
});
