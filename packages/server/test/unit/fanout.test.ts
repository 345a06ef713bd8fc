/** The fan-out timer: a change is timed from its hand-out to the last live stream writing it. */
import { describe, expect, it } from "vitest";
import { FanoutTimer } from "../../src/features/distribution/fanout.js";

describe("FanoutTimer", () => {
  it("observes once per change, when the last stream that took it is done", () => {
    let now = 1_000;
    const seen: number[] = [];
    const timer = new FanoutTimer(
      (seconds) => seen.push(seconds),
      () => now,
    );
    for (let i = 0; i < 3; i++) timer.begin(7);
    timer.begin(8);
    now += 4;
    timer.end(7);
    timer.end(8);
    now += 6;
    timer.end(7);
    expect(seen).toEqual([0.004]);
    timer.end(7);
    expect(seen).toEqual([0.004, 0.01]);
    // An end for a change that is not open (already observed, or never begun) is ignored.
    timer.end(7);
    timer.end(99);
    expect(seen).toHaveLength(2);
    expect(timer.pending).toBe(0);
  });

  it("drops, unobserved, a change some stream never finished after a minute", () => {
    let now = 0;
    const seen: number[] = [];
    const timer = new FanoutTimer(
      (seconds) => seen.push(seconds),
      () => now,
    );
    timer.begin(1);
    timer.begin(1);
    timer.end(1);
    now += 61_000;
    timer.begin(2);
    expect(timer.pending).toBe(1);
    timer.end(1);
    expect(seen).toEqual([]);
  });
});
