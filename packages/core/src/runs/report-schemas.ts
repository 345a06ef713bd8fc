/** @module What a run's result gives a chart or a report: its equity curve, and everything a report shows. */
import { z } from "zod";
import { run } from "./backtest-schemas.js";
import { parameterSet } from "./parameter-set.js";

/** As the worker wrote it in the result JSON; a point is usually `{ time, equity }`. */
const equityCurve = z.array(z.unknown()).describe("the result's equity curve, as the worker wrote it");

export const runEquity = z.object({ job_id: z.string(), equity_curve: equityCurve });
export type RunEquity = z.infer<typeof runEquity>;

export const runReportData = z.object({
  run,
  parameter_set: parameterSet.nullable().describe("null when the run's parameter set is not stored here"),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  trades: z.array(z.unknown()).describe("the result's trades, as the worker wrote them; empty for a legacy run"),
  equity_curve: equityCurve,
  data: z.unknown().describe("the result's own `data` section (null when there is none)"),
});
export type RunReportData = z.infer<typeof runReportData>;
