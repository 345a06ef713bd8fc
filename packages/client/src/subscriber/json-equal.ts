/** @module Whether two JSON values are the same value (key order aside). */
import { canonicalJson, type JsonValue } from "@tradai/core";

/**
 * Primitives by `===` (what canonical JSON would say of them, without serialising: most leaves are
 * numbers or strings, compared for every key at every change), objects and arrays by canonical JSON.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);
}
