import { describe, expect, it } from "vitest";
import { workerIdMatches } from "../../src/index.js";

describe("worker id patterns", () => {
  it("* matches any run of characters; everything else is literal", () => {
    expect(workerIdMatches("live-*", "live-1")).toBe(true);
    expect(workerIdMatches("live-*", "live-")).toBe(true);
    expect(workerIdMatches("live-*", "paper-1")).toBe(false);
    expect(workerIdMatches("live-*-eu", "live-7-eu")).toBe(true);
    expect(workerIdMatches("live-*-eu", "live-7-us")).toBe(false);
    expect(workerIdMatches("live.1", "liveX1")).toBe(false);
    expect(workerIdMatches("live-1", "live-1")).toBe(true);
    expect(workerIdMatches("*", "anything")).toBe(true);
    expect(workerIdMatches("a*a", "a")).toBe(false);
  });

  it("takes linear time, whatever the pattern (no regular expression to backtrack)", () => {
    const started = performance.now();
    expect(workerIdMatches("*a*a*a*a*a*a*a*a*b", "a".repeat(128))).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
