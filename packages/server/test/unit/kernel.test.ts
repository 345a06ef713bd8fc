/**
 * The change kernel on a stand-in database: it retries a change that hit a deadlock or a
 * serialization failure, gives up after a few attempts, never nests, and refuses to commit a change
 * that altered what it did not declare.
 */
import { describe, expect, it } from "vitest";
import { systemActor } from "../../src/changes/actor.js";
import { changeKernel } from "../../src/changes/kernel.js";
import type { KernelSources, ResolutionInputs } from "../../src/changes/sources.js";
import type { Database, Queryable } from "../../src/db/database.js";

const inputs = (active: [string, number][] = []): ResolutionInputs => ({
  active: new Map(active),
  baseRevisions: new Map(),
  catalogRevision: 0,
  rollouts: new Map(),
});

/** Sources that see nothing, or what `state.inputs` says. */
const sources = (state: { inputs: ResolutionInputs }): KernelSources => ({
  policies: async () => ({}),
  activeFreeze: async () => null,
  parameters: async () => ({ governance: {}, reload: new Map() }),
  rollouts: async () => new Map(),
  inputs: async () => state.inputs,
  resolve: async () => new Map(),
  servedValue: async () => null,
});

/** A database whose transactions fail with `codes` (one per attempt) before they succeed. */
/** `marks`: what the transaction says it changed itself (migration 016's setting). */
function flakyDatabase(codes: string[], marks: { value: string } = { value: "" }) {
  let attempts = 0;
  const q: Queryable = {
    query: async <T>(sql: string) =>
      (sql.includes("tradai.changed")
        ? { rows: [{ marks: marks.value }], rowCount: 1 }
        : { rows: [], rowCount: 0 }) as {
        rows: T[];
        rowCount: number;
      },
    exec: async () => {},
  };
  const db: Database = {
    kind: "pglite",
    ...q,
    async transaction(fn) {
      attempts += 1;
      const code = codes.shift();
      if (code) throw Object.assign(new Error(`failed with ${code}`), { code });
      return fn(q);
    },
    listen: async () => async () => {},
    close: async () => {},
  };
  return { db, attempts: () => attempts };
}

const change = { what: "a test change", work: async () => "done" };

describe("the change kernel", () => {
  it("retries after a deadlock and a serialization failure, then commits", async () => {
    const { db, attempts } = flakyDatabase(["40P01", "40001"]);
    const kernel = changeKernel({ db, sources: sources({ inputs: inputs() }), changeRequestTtlHours: 1 });
    expect(await kernel.commitChange(systemActor(), change)).toMatchObject({ outcome: "applied", result: "done" });
    expect(attempts()).toBe(3);
  });

  it("gives up after five attempts, and does not retry other failures", async () => {
    const stuck = flakyDatabase(["40P01", "40P01", "40P01", "40P01", "40P01", "40P01"]);
    const kernel = changeKernel({ db: stuck.db, sources: sources({ inputs: inputs() }), changeRequestTtlHours: 1 });
    await expect(kernel.commitChange(systemActor(), change)).rejects.toThrow(/failed with 40P01/);
    expect(stuck.attempts()).toBe(5);
    const broken = flakyDatabase(["23505"]);
    const other = changeKernel({ db: broken.db, sources: sources({ inputs: inputs() }), changeRequestTtlHours: 1 });
    await expect(other.commitChange(systemActor(), change)).rejects.toThrow(/failed with 23505/);
    expect(broken.attempts()).toBe(1);
  });

  it("refuses to commit a change that altered a resolved config it did not declare", async () => {
    const state = { inputs: inputs() };
    const marks = { value: "" };
    const { db } = flakyDatabase([], marks);
    const kernel = changeKernel({ db, sources: sources(state), changeRequestTtlHours: 1 });
    const sneaky = {
      what: "a sneaky change",
      async work() {
        state.inputs = inputs([["S\0prod", 7]]); // as if it had activated a version of S in prod
        marks.value = "active S prod\n"; // ...and the activations trigger marked it
      },
    };
    await expect(kernel.commitChange(systemActor(), sneaky)).rejects.toThrow(
      /a sneaky change changed the active version of S in prod without declaring it/,
    );
  });

  it("does not take another transaction's commit for its own undeclared change", async () => {
    const state = { inputs: inputs() };
    const { db } = flakyDatabase([], { value: "" });
    const kernel = changeKernel({ db, sources: sources(state), changeRequestTtlHours: 1 });
    const innocent = {
      what: "an innocent change",
      async work() {
        state.inputs = inputs([["Other\0dev", 9]]); // committed meanwhile by someone else: not marked here
        return "done";
      },
    };
    expect(await kernel.commitChange(systemActor(), innocent)).toMatchObject({ outcome: "applied", result: "done" });
  });

  it("never runs a change inside another one", async () => {
    const { db } = flakyDatabase([]);
    const kernel = changeKernel({ db, sources: sources({ inputs: inputs() }), changeRequestTtlHours: 1 });
    const outer = {
      what: "the outer change",
      work: () => kernel.commitChange(systemActor(), { what: "the inner change", work: async () => 1 }),
    };
    await expect(kernel.commitChange(systemActor(), outer)).rejects.toThrow(/inside another change/);
  });
});
