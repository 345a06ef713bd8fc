/** The circuit breaker: opens after failures in a row, fails fast while open, probes once, closes on success. */
import { describe, expect, it } from "vitest";
import { BreakerOpenError, type BreakerState, circuitBreaker } from "../../src/resilience/circuit-breaker.js";

const down = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
const up = () => Promise.resolve("ok");

function clocked(options: Parameters<typeof circuitBreaker>[1] = {}) {
  let t = 0;
  const states: BreakerState[] = [];
  const breaker = circuitBreaker("db", {
    failureThreshold: 3,
    openMs: 1000,
    now: () => t,
    onState: (s) => states.push(s),
    ...options,
  });
  return { breaker, states, advance: (ms: number) => (t += ms) };
}

describe("circuitBreaker", () => {
  it("opens after the threshold of failures in a row, and then fails fast without calling", async () => {
    const { breaker, states } = clocked();
    for (let i = 0; i < 3; i++) await expect(breaker.run(down)).rejects.toThrow("ECONNREFUSED");
    expect(breaker.state).toBe("open");
    let called = false;
    const fast = await breaker
      .run(async () => {
        called = true;
        return 1;
      })
      .catch((e: unknown) => e);
    expect(fast).toBeInstanceOf(BreakerOpenError);
    expect((fast as BreakerOpenError).retryInMs).toBe(1000);
    expect(called).toBe(false);
    expect(states).toEqual(["open"]);
  });

  it("a success in between resets the count", async () => {
    const { breaker } = clocked();
    await expect(breaker.run(down)).rejects.toThrow();
    await expect(breaker.run(down)).rejects.toThrow();
    await breaker.run(up);
    await expect(breaker.run(down)).rejects.toThrow();
    await expect(breaker.run(down)).rejects.toThrow();
    expect(breaker.state).toBe("closed");
  });

  it("after the open time lets one probe through: success closes it, failure opens it again", async () => {
    const { breaker, states, advance } = clocked();
    for (let i = 0; i < 3; i++) await expect(breaker.run(down)).rejects.toThrow();
    advance(1000);
    await expect(breaker.run(down)).rejects.toThrow("ECONNREFUSED");
    expect(breaker.state).toBe("open");
    advance(999);
    await expect(breaker.run(up)).rejects.toBeInstanceOf(BreakerOpenError);
    advance(1);
    // While the probe is out, others fail fast.
    let finish: (v: string) => void = () => {};
    const probe = breaker.run(() => new Promise<string>((r) => (finish = r)));
    await expect(breaker.run(up)).rejects.toBeInstanceOf(BreakerOpenError);
    finish("back");
    await expect(probe).resolves.toBe("back");
    expect(breaker.state).toBe("closed");
    expect(states).toEqual(["open", "half_open", "open", "half_open", "closed"]);
  });

  it("counts only the failures that say the dependency is down", async () => {
    const { breaker } = clocked({ isFailure: (e) => (e as { code?: string }).code === "ECONNREFUSED" });
    const refusal = () => Promise.reject(Object.assign(new Error("duplicate key"), { code: "23505" }));
    for (let i = 0; i < 5; i++) await expect(breaker.run(refusal)).rejects.toThrow("duplicate key");
    expect(breaker.state).toBe("closed");
  });
});
