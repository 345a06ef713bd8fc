/**
 * Property: over random catalogs and random run requests, a run is stored exactly when its merged
 * values pass the catalog of that moment (the oracle below restates the rules by hand: bounds,
 * allowed values, deprecated values, required parameters, unknown keys under a strict policy);
 * a refused request stores nothing, an accepted one stores the values it was given.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

interface IntParameter {
  kind: "int";
  min: number;
  max: number;
  required: boolean;
}
interface EnumParameter {
  kind: "enum";
  allowed: string[];
  deprecated: string | null;
  required: boolean;
}
type Parameter = IntParameter | EnumParameter;

const intParameter = fc
  .tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.boolean())
  .map(([min, span, required]): Parameter => ({ kind: "int", min, max: min + span, required }));
const enumParameter = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom("a", "b", "c", "d"), { minLength: 2, maxLength: 4 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(
    ([allowed, deprecate, required]): Parameter => ({
      kind: "enum",
      allowed,
      deprecated: deprecate ? (allowed[allowed.length - 1] as string) : null,
      required,
    }),
  );
const catalog = fc.array(fc.oneof(intParameter, enumParameter), { minLength: 1, maxLength: 4 });
/** A value for each parameter (or none), in and out of its rules, and maybe a key the catalog lacks. */
const request = (parameters: Parameter[]) =>
  fc.record({
    values: fc.tuple(
      ...parameters.map(
        (p): fc.Arbitrary<number | string | null> =>
          p.kind === "int"
            ? fc.option(fc.integer({ min: p.min - 2, max: p.max + 2 }))
            : fc.option(fc.constantFrom("a", "b", "c", "d", "z")),
      ),
    ),
    stray: fc.boolean(),
    strict: fc.boolean(),
  });

/** The rules, restated: is this request's value set valid for this catalog? */
function valid(parameters: Parameter[], values: (number | string | null)[], stray: boolean, strict: boolean): boolean {
  if (stray && strict) return false;
  return parameters.every((p, i) => {
    const v = values[i];
    if (v === null || v === undefined) return !p.required;
    if (p.kind === "int") return typeof v === "number" && v >= p.min && v <= p.max;
    return typeof v === "string" && p.allowed.includes(v) && v !== p.deprecated;
  });
}

describe(`a run is stored exactly when its values pass the catalog (${backend})`, () => {
  let p: TestPlatform;
  let n = 0;
  const counts = async () =>
    (
      await p.db.query<{ runs: number; sets: number }>(
        "SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM parameter_sets) AS sets",
      )
    ).rows[0];

  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p?.close());

  it("over random catalogs and requests", async () => {
    const tally = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        catalog.chain((parameters) => fc.tuple(fc.constant(parameters), request(parameters))),
        async ([parameters, { values, stray, strict }]) => {
          const run = ++n;
          const strategy = `Rand${run}`;
          const name = (i: number) => `r${run}_p${i}`;
          await p.api.setCatalogPolicy(strategy, strict ? "strict" : "open");
          for (const [i, def] of parameters.entries()) {
            await p.api.createParameter(
              def.kind === "int"
                ? {
                    name: name(i),
                    type: "int",
                    min: def.min,
                    max: def.max,
                    required: def.required,
                    description: "r",
                    strategies: [strategy],
                  }
                : {
                    name: name(i),
                    type: "enum",
                    allowed: def.allowed,
                    required: def.required,
                    description: "r",
                    strategies: [strategy],
                    ...(def.deprecated
                      ? { deprecated_values: { [def.deprecated]: { replacement: def.allowed[0], reason: "old" } } }
                      : {}),
                  },
            );
          }
          const config: Record<string, unknown> = {
            ...SEED_BACKTEST,
            strategy,
            task_definition: "tradai-strategy-stochrsi",
          };
          for (const [i, v] of values.entries()) if (v !== null) config[name(i)] = v;
          if (stray) config[`r${run}_stray`] = 1;
          const before = await counts();
          const res = await p.http("/api/v1/backtests", postJson(JSON.stringify({ config })));
          const expected = valid(parameters, values, stray, strict);
          expect(
            res.status,
            `${JSON.stringify({ parameters, values, stray, strict })}: ${JSON.stringify(res.body)}`,
          ).toBe(expected ? 202 : 422);
          if (expected) {
            tally.accepted += 1;
            const set = (await p.api.getParameterSet(res.body.parameter_set_hash)).parameter_set;
            for (const [i, v] of values.entries()) if (v !== null) expect(set.values[name(i)]).toBe(v);
            expect(set.uncatalogued ?? []).toEqual(stray ? [`r${run}_stray`] : []);
          } else {
            tally.refused += 1;
            expect(await counts()).toEqual(before);
          }
        },
      ),
      // A fixed seed by default, so that "both sides were reached" below holds on every run (40 random
      // cases once gave only 3 accepted); TRADAI_PROPERTY_SEED=random explores, or replays a seed.
      {
        numRuns: Number(process.env.TRADAI_PROPERTY_RUNS ?? 40),
        ...(process.env.TRADAI_PROPERTY_SEED === "random"
          ? {}
          : { seed: Number(process.env.TRADAI_PROPERTY_SEED ?? 20261206) }),
      },
    );
    // Both sides were reached.
    expect(tally.accepted).toBeGreaterThan(3);
    expect(tally.refused).toBeGreaterThan(3);
    console.log(`runs-catalog property: ${tally.accepted} accepted, ${tally.refused} refused`);
  });
});
