/**
 * @module Comparability of two runs, stated: `strict` (the same parameter set, apart from what
 * identifies a run), `relaxed` (the same values; only ignorable keys, code patch versions or the
 * context around the values differ), `forbidden` (anything else: a used key's value or catalog
 * type, a code version further than a patch or unreadable, a legacy parameter set on either
 * side); every difference listed with why it does or does not matter; metrics side by side.
 */
import { fieldDifferences } from "./comparability-fields.js";
import { keyDifferences } from "./comparability-keys.js";
import {
  type Comparability,
  type ComparabilityReason,
  type ComparabilityVerdict,
  DIFFERENCE_KINDS,
  type DifferenceEffect,
  type MetricComparison,
} from "./comparability-schemas.js";
import type { ParameterSet } from "./parameter-set.js";

/** A run's metrics as its record holds them (numbers are compared, anything else is left out). */
export type RunMetrics = Record<string, unknown> | null | undefined;

const SEVERITY: Record<DifferenceEffect, number> = { forbidden: 0, relaxed: 1, none: 2 };
const label = (r: ComparabilityReason) => r.key ?? r.field ?? "";

/**
 * `b - a`, rounded to the precision of the numbers compared (15 significant digits of the larger),
 * so floating-point noise does not show: 1000.1 - 1000 is 0.1, not 0.10000000000002274.
 */
export function metricDelta(a: number, b: number): number {
  const delta = b - a;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (scale === 0 || !Number.isFinite(delta)) return delta;
  const decimals = Math.min(100, Math.max(0, 14 - Math.floor(Math.log10(scale))));
  return Number(delta.toFixed(decimals));
}

/** Every metric either run reported as a number, by name, with b - a where both did. */
export function compareMetrics(a: RunMetrics, b: RunMetrics): MetricComparison[] {
  const number = (m: RunMetrics, name: string) => {
    const v = m?.[name];
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  };
  const names = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
  return names
    .map((name) => {
      const [va, vb] = [number(a, name), number(b, name)];
      return { name, a: va, b: vb, delta: va !== null && vb !== null ? metricDelta(va, vb) : null };
    })
    .filter((m) => m.a !== null || m.b !== null);
}

function summaryOf(verdict: ComparabilityVerdict, reasons: ComparabilityReason[]): string {
  const counted = (effect: DifferenceEffect) => reasons.filter((r) => r.effect === effect).map(label);
  const list = (labels: string[]) =>
    labels.length <= 5 ? labels.join(", ") : `${labels.slice(0, 5).join(", ")} and ${labels.length - 5} more`;
  if (verdict === "strict") {
    const identity = reasons.length > 0 ? ", apart from what identifies each run" : "";
    return `strict: both runs used the same parameter set${identity}; a difference in their results comes from the runs themselves, not from their parameters or code`;
  }
  if (verdict === "relaxed") {
    const relaxed = counted("relaxed");
    return `relaxed: the same values in every key that counts; ${relaxed.length} difference(s) the rules let through (${list(relaxed)}); their results may be compared, keeping these in mind`;
  }
  const forbidden = counted("forbidden");
  return `forbidden: ${forbidden.length} difference(s) make their results incomparable (${list(forbidden)}); a difference in results may come from any of them`;
}

/**
 * What comparing two runs allows, from their parameter sets (and metrics, when given).
 * @example
 * const { verdict, reasons } = judgeComparability(setA, setB, { a: runA.metrics, b: runB.metrics });
 * // verdict "relaxed", reasons [{ key: "stake_amount", kind: "ignored_value", effect: "relaxed", a: 1000, b: 500, ... }]
 */
export function judgeComparability(
  a: ParameterSet,
  b: ParameterSet,
  metrics: { a?: RunMetrics; b?: RunMetrics } = {},
): Comparability {
  const reasons = [...fieldDifferences(a, b), ...keyDifferences(a, b)].sort(
    (x, y) =>
      SEVERITY[x.effect] - SEVERITY[y.effect] ||
      Number(x.field === undefined) - Number(y.field === undefined) ||
      DIFFERENCE_KINDS.indexOf(x.kind) - DIFFERENCE_KINDS.indexOf(y.kind) ||
      (label(x) < label(y) ? -1 : label(x) > label(y) ? 1 : 0),
  );
  const verdict: ComparabilityVerdict = reasons.some((r) => r.effect === "forbidden")
    ? "forbidden"
    : reasons.some((r) => r.effect === "relaxed")
      ? "relaxed"
      : "strict";
  return {
    verdict,
    summary: summaryOf(verdict, reasons),
    reasons,
    metrics: compareMetrics(metrics.a, metrics.b),
  };
}
