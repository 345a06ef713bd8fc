/** @module Parsers of whole-number arguments and options (a bad one is a usage error, exit 2). */
import { InvalidArgumentError } from "commander";

/** For commander: "17" -> 17; "abc", "0", "1.5", "-3" are refused. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("must be a positive integer.");
  }
  return n;
}

/** For commander: "0" and up. */
export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError("must be 0 or a positive integer.");
  return n;
}
