/** The worker page's time field: datetime-local values are UTC; a value with a zone keeps it. */
import { describe, expect, it } from "vitest";
import { utcInstant } from "../../src/features/workers/utc-instant.js";

describe("utcInstant", () => {
  it("reads minutes and seconds as UTC", () => {
    expect(utcInstant("2026-12-06T14:03")).toBe("2026-12-06T14:03:00.000Z");
    expect(utcInstant("2026-12-06T14:03:07")).toBe("2026-12-06T14:03:07.000Z");
  });
  it("keeps a zone the value names", () => {
    expect(utcInstant("2026-12-06T14:03:07+02:00")).toBe("2026-12-06T12:03:07.000Z");
    expect(utcInstant("2026-12-06T14:03:07Z")).toBe("2026-12-06T14:03:07.000Z");
  });
  it("is undefined for what is no time", () => {
    expect(utcInstant("yesterday")).toBeUndefined();
    expect(utcInstant("2026-13-40T99:00")).toBeUndefined();
  });
});
