/** The `retry:` a stream gets: its replica's streams spread over READMISSIONS_PER_SECOND, between 1 s and 30 s. */
import { describe, expect, it } from "vitest";
import { READMISSIONS_PER_SECOND, reconnectWindowMs } from "../../src/features/distribution/stream.js";

describe("the reconnect window told to streams", () => {
  it("is 1 s for a small replica, grows with its streams, and stops at 30 s", () => {
    expect(reconnectWindowMs(0)).toBe(1000);
    expect(reconnectWindowMs(READMISSIONS_PER_SECOND)).toBe(1000);
    expect(reconnectWindowMs(5 * READMISSIONS_PER_SECOND)).toBe(5000);
    expect(reconnectWindowMs(10_000 * READMISSIONS_PER_SECOND)).toBe(30_000);
  });
});
