import { describe, expect, it } from "vitest";
import { DEFAULT_LEGACY_RUNS_SHAPE, LegacyRunsError, legacyRunOfResult, legacyRunsOf } from "../../src/index.js";

describe("legacy runs from the legacy run table and the results bucket", () => {
  const row = {
    id: 7,
    strategy: "FTF",
    params: '{"stoploss": -0.05}',
    metrics: { sharpe: 1.2 },
    status: "SUCCESS",
    started_at: new Date("2025-05-01T09:00:00Z"),
    finished_at: null,
    created_by: "bob",
  };

  it("maps a row: parameters and metrics from JSON, status words to completed or failed, times to ISO", () => {
    expect(legacyRunsOf([row, { ...row, id: 8, status: "crashed" }], DEFAULT_LEGACY_RUNS_SHAPE)).toEqual([
      {
        legacy_id: "7",
        strategy: "FTF",
        parameters: { stoploss: -0.05 },
        started_at: "2025-05-01T09:00:00.000Z",
        status: "completed",
        metrics: { sharpe: 1.2 },
        author: "bob",
      },
      expect.objectContaining({ legacy_id: "8", status: "failed" }),
    ]);
  });

  it("names the row and the column it lacks, or the value it cannot read", () => {
    const { params: _, ...noParams } = row;
    expect(() => legacyRunsOf([noParams], DEFAULT_LEGACY_RUNS_SHAPE)).toThrow(
      /finetune_runs row 1 has no column "params"/,
    );
    expect(() => legacyRunsOf([{ ...row, started_at: "soon" }], DEFAULT_LEGACY_RUNS_SHAPE)).toThrow(
      /row 1, started_at: "soon" is not a time/,
    );
    expect(() => legacyRunsOf([{ ...row, status: "queued" }], DEFAULT_LEGACY_RUNS_SHAPE)).toThrow(LegacyRunsError);
  });

  it("a table without a strategy column takes the one given", () => {
    const { strategy: _, ...noStrategy } = row;
    expect(legacyRunsOf([noStrategy], DEFAULT_LEGACY_RUNS_SHAPE, "FTF")[0]?.strategy).toBe("FTF");
  });

  it("reads a result file's strategy, day and job from its key; metrics from `metrics`, else its numbers", () => {
    const run = legacyRunOfResult("S/20250310/job-1.json", "s3://b/backtests/S/20250310/job-1.json", {
      params: { a: 1 },
      sharpe: 2,
      note: "x",
    });
    expect(run).toMatchObject({
      legacy_id: "job-1",
      strategy: "S",
      started_at: "2025-03-10T00:00:00.000Z",
      parameters: { a: 1 },
      metrics: { sharpe: 2 },
      status: "completed",
    });
    expect(() => legacyRunOfResult("job-1.json", "x", {})).toThrow(/<STRATEGY>\/<DATE>\/<JOB_ID>\.json/);
  });
});
