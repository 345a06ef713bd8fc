/**
 * Property: whatever changes arrive, whenever, a value read inside a decision cycle never changes
 * during that cycle; every hot change is in use from the first boundary after it arrived; a
 * restart-only key never changes in a running worker, and is reported as waiting instead.
 */
import { contentHash, type ReloadClass } from "@tradai/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppliedState } from "../../src/subscriber/applied-state.js";

const HOT = ["risk.stoploss", "risk.max_trades"];
const RESTART = ["exchange.name", "timeframe"];
const KEYS = [...HOT, ...RESTART];

function nested(flat: Record<string, number>): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | number> = {};
  for (const [key, value] of Object.entries(flat)) {
    const [head, tail] = key.split(".") as [string, string | undefined];
    if (tail === undefined) out[head] = value;
    else out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), [tail]: value };
  }
  return out;
}
const read = (values: Readonly<Record<string, unknown>>, key: string): unknown =>
  key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], values);

const change = fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: -1000, max: 1000 }), { minKeys: 1 });
// A cycle: some reads, with changes arriving before, between or after them.
const cycle = fc.array(fc.oneof(fc.constant<"read">("read"), change), { maxLength: 8 });

describe("AppliedState: changes apply only at boundaries", () => {
  it("holds for random change streams against random cycle schedules", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: -1000, max: 1000 }), { minKeys: KEYS.length }),
        fc.array(cycle, { minLength: 1, maxLength: 30 }),
        (initial, cycles) => {
          const state = new AppliedState();
          let server = { ...initial };
          let seq = 1;
          const payload = (flat: Record<string, number>) => ({
            strategy: "S",
            config_version_id: `v${seq}-00000000`,
            resolved_hash: contentHash(nested(flat) as never),
            values: nested(flat),
          });
          state.initialise([payload(server)], seq);
          const reloads: { key: string; reload: ReloadClass }[] = KEYS.map((key) => ({
            key,
            reload: HOT.includes(key) ? "hot" : "restart",
          }));
          for (const steps of cycles) {
            const atStart = state.get("S");
            for (const step of steps) {
              if (step === "read") {
                // Inside the cycle: exactly what was in use when it started.
                expect(state.get("S")).toBe(atStart);
                for (const key of KEYS)
                  expect(read(state.get("S")?.values ?? {}, key)).toBe(read(atStart?.values ?? {}, key));
              } else {
                seq += 1;
                server = { ...server, ...step };
                state.receive(
                  [payload(server)],
                  seq,
                  reloads.filter((r) => r.key in step),
                );
              }
            }
            state.boundary();
            const now = state.get("S");
            for (const key of HOT) expect(read(now?.values ?? {}, key)).toBe(server[key]);
            for (const key of RESTART) expect(read(now?.values ?? {}, key)).toBe(initial[key]);
            expect(now?.pending_restart).toEqual(RESTART.filter((key) => server[key] !== initial[key]).sort());
            if (now?.pending_restart.length === 0) expect(now.resolved_hash).toBe(contentHash(nested(server) as never));
            expect(Object.isFrozen(now?.values)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a key whose class no event named is never applied live", () => {
    const state = new AppliedState();
    state.initialise([{ strategy: "S", config_version_id: "v1-00000000", resolved_hash: null, values: { a: 1 } }], 1);
    state.receive([{ strategy: "S", config_version_id: "v2-00000000", resolved_hash: null, values: { a: 2 } }], 2);
    const [changed] = state.boundary();
    expect(changed).toMatchObject({ config_version_id: "v2-00000000", values: { a: 1 }, pending_restart: ["a"] });
  });
});
