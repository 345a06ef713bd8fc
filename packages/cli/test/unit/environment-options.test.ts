/** The parsers behind `tradai env policy set` and `tradai env freeze add`, and how durations are shown. */
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { approvalsCount, booleanWord, durationSeconds, isoTime } from "../../src/input/environment-options.js";
import { formatDuration } from "../../src/output/environments.js";

describe("environment option parsers", () => {
  it("booleanWord takes true or false, nothing else", () => {
    expect(booleanWord("true")).toBe(true);
    expect(booleanWord("FALSE")).toBe(false);
    for (const bad of ["yes", "1", "", "truthy"]) expect(() => booleanWord(bad), bad).toThrow(InvalidArgumentError);
  });

  it("approvalsCount takes 1 to 10", () => {
    expect(approvalsCount("1")).toBe(1);
    expect(approvalsCount("10")).toBe(10);
    for (const bad of ["0", "11", "2.0", "-1", "x", ""]) {
      expect(() => approvalsCount(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it("durationSeconds takes seconds or d/h/m/s units", () => {
    expect(durationSeconds("3600")).toBe(3600);
    expect(durationSeconds("90m")).toBe(5400);
    expect(durationSeconds("2h")).toBe(7200);
    expect(durationSeconds("1d")).toBe(86_400);
    expect(durationSeconds("1h30m")).toBe(5400);
    expect(durationSeconds("1D2H")).toBe(93_600);
    for (const bad of ["0", "0m", "1.5h", "-60", "h", "2 h", "2w", ""]) {
      expect(() => durationSeconds(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it("formatDuration shows what durationSeconds reads", () => {
    for (const text of ["1d", "2h", "1h30m", "1m30s", "45s", "1d2h3m4s"]) {
      expect(formatDuration(durationSeconds(text))).toBe(text);
    }
  });

  it("isoTime takes a time with its offset and returns it in UTC", () => {
    expect(isoTime("2026-11-23T10:00:00Z")).toBe("2026-11-23T10:00:00.000Z");
    expect(isoTime("2026-11-23T12:00+02:00")).toBe("2026-11-23T10:00:00.000Z");
    expect(isoTime("2026-11-23T05:30:00.25-04:30")).toBe("2026-11-23T10:00:00.250Z");
    expect(isoTime("2026-11-23t10:00:00z")).toBe("2026-11-23T10:00:00.000Z");
    for (const bad of [
      "2026-11-23T10:00:00", // no offset: not read in this machine's zone
      "2026-11-23",
      "2026-02-30T10:00:00Z",
      "2026-11-23T24:00:00Z",
      "2026-11-23T10:60:00Z",
      "2026-11-23T10:00:00+24:00",
      "2026-11-23 10:00:00Z",
      "now",
    ]) {
      expect(() => isoTime(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});
