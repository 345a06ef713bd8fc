/** @module Typed readers for `parameter_set.values`: each refusal names the parameter and says why. */
import { ParameterError } from "./errors.js";

export type Values = Record<string, unknown>;

/** Bounds of a numeric parameter; `gt`/`lt` are exclusive, `min`/`max` inclusive. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
}

function describe(rule: NumberRule): string {
  const bounds = [
    rule.min !== undefined ? `>= ${rule.min}` : "",
    rule.gt !== undefined ? `> ${rule.gt}` : "",
    rule.max !== undefined ? `<= ${rule.max}` : "",
    rule.lt !== undefined ? `< ${rule.lt}` : "",
  ].filter(Boolean);
  return `must be ${rule.integer ? "an integer" : "a number"}${bounds.length ? ` ${bounds.join(" and ")}` : ""}`;
}

function fits(value: number, rule: NumberRule): boolean {
  if (rule.integer && !Number.isSafeInteger(value)) return false;
  if (rule.min !== undefined && value < rule.min) return false;
  if (rule.max !== undefined && value > rule.max) return false;
  if (rule.gt !== undefined && value <= rule.gt) return false;
  if (rule.lt !== undefined && value >= rule.lt) return false;
  return true;
}

const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

export function readNumber(values: Values, name: string, rule: NumberRule): number {
  const value = values[name];
  if (value === undefined) throw new ParameterError(name, "is required");
  // Numbers only: "-0.02" as a string is refused rather than guessed.
  if (typeof value !== "number" || !Number.isFinite(value) || !fits(value, rule)) {
    throw new ParameterError(name, `${describe(rule)} (got ${shown(value)})`);
  }
  return value;
}

export function readString(values: Values, name: string, pattern?: RegExp, expected?: string): string {
  const value = values[name];
  if (value === undefined) throw new ParameterError(name, "is required");
  if (typeof value !== "string" || value.trim() === "" || (pattern && !pattern.test(value))) {
    throw new ParameterError(name, `must be ${expected ?? "a non-empty string"} (got ${shown(value)})`);
  }
  return value;
}

export function readStringList(values: Values, name: string, pattern: RegExp, expected: string): string[] {
  const value = values[name];
  if (value === undefined) throw new ParameterError(name, "is required");
  if (!Array.isArray(value) || value.length === 0) {
    throw new ParameterError(name, `must be a non-empty list of ${expected} (got ${shown(value)})`);
  }
  for (const [index, item] of value.entries()) {
    if (typeof item !== "string" || !pattern.test(item)) {
      throw new ParameterError(`${name}[${index}]`, `must be ${expected} (got ${shown(item)})`);
    }
  }
  const list = value as string[];
  const duplicate = list.find((item, index) => list.indexOf(item) !== index);
  if (duplicate !== undefined) throw new ParameterError(name, `lists ${duplicate} twice`);
  return list;
}

/** A calendar date `YYYY-MM-DD`, as milliseconds at 00:00 UTC. */
export function readDate(values: Values, name: string): number {
  const text = readString(values, name, /^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new ParameterError(name, `${text} is not a calendar date`);
  }
  return ms;
}
