/**
 * The windows a replica tells its streams, scaled to how many it holds: the `retry:` (reconnects
 * spread over READMISSIONS_PER_SECOND, 1-30 s) and a change frame's report_within_ms (the reports
 * after an apply over REPORTS_PER_SECOND, 5-60 s).
 */
import { describe, expect, it } from "vitest";
import {
  READMISSIONS_PER_SECOND,
  REPORTS_PER_SECOND,
  reconnectWindowMs,
  reportWindowMs,
} from "../../src/features/distribution/stream.js";

describe("the windows told to streams", () => {
  it("is 1 s for a small replica, grows with its streams, and stops at 30 s", () => {
    expect(reconnectWindowMs(0)).toBe(1000);
    expect(reconnectWindowMs(READMISSIONS_PER_SECOND)).toBe(1000);
    expect(reconnectWindowMs(5 * READMISSIONS_PER_SECOND)).toBe(5000);
    expect(reconnectWindowMs(10_000 * READMISSIONS_PER_SECOND)).toBe(30_000);
  });

  it("spreads the reports after an apply over 5 s for a small replica, longer for a big one, at most 60 s", () => {
    expect(reportWindowMs(0)).toBe(5000);
    expect(reportWindowMs(5 * REPORTS_PER_SECOND)).toBe(5000);
    expect(reportWindowMs(10 * REPORTS_PER_SECOND)).toBe(10_000);
    expect(reportWindowMs(1000 * REPORTS_PER_SECOND)).toBe(60_000);
  });
});
