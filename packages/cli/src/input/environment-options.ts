/**
 * @module Parsers of the options of `tradai env policy set` and `tradai env freeze add`: yes/no
 * words, an approval count, a duration, an ISO 8601 time (a bad one is a usage error, exit 2).
 */
import { environmentPolicy } from "@tradai/core";
import { InvalidArgumentError } from "commander";

/** For commander: "true" / "false" (any case); anything else is refused. */
export function booleanWord(value: string): boolean {
  const word = value.trim().toLowerCase();
  if (word === "true") return true;
  if (word === "false") return false;
  throw new InvalidArgumentError('must be "true" or "false".');
}

const approvalsSchema = environmentPolicy.shape.approvals_required;

/** For commander: how many approvals a change request needs, within the bounds the server accepts (1 to 10). */
export function approvalsCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !approvalsSchema.safeParse(n).success) {
    throw new InvalidArgumentError(
      `must be a whole number from ${approvalsSchema.minValue ?? 1} to ${approvalsSchema.maxValue ?? "?"}.`,
    );
  }
  return n;
}

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

/**
 * For commander: a duration in seconds: "3600", or with units "90m", "2h", "1d", "1h30m" (d, h, m, s).
 * @returns whole seconds, at least 1
 */
export function durationSeconds(value: string): number {
  const text = value.trim().toLowerCase();
  let seconds: number;
  if (/^\d+$/.test(text)) {
    seconds = Number(text);
  } else if (/^(\d+[dhms])+$/.test(text)) {
    seconds = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+)([dhms])/g)) {
      seconds += Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
    }
  } else {
    throw new InvalidArgumentError('must be seconds ("3600") or a duration such as "90m", "2h", "1d" or "1h30m".');
  }
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new InvalidArgumentError("must be longer than zero.");
  return seconds;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/**
 * For commander: an ISO 8601 time with its offset, e.g. "2026-11-23T10:00:00Z" or
 * "2026-11-23T12:00+02:00" (seconds optional). A time without an offset is refused rather than read
 * in this machine's time zone.
 * @returns the same instant in UTC, e.g. "2026-11-23T10:00:00.000Z"
 */
export function isoTime(value: string): string {
  const match = ISO_TIME.exec(value.trim());
  const refuse = () =>
    new InvalidArgumentError('must be an ISO 8601 time with its offset, e.g. "2026-11-23T10:00:00Z".');
  if (!match) throw refuse();
  const [, y, mo, d, h, mi, s = "0", fraction = "", zulu, sign, oh = "0", om = "0"] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March: refuse what does not come back as written.
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day ||
    local.getUTCHours() !== hour ||
    local.getUTCMinutes() !== minute ||
    local.getUTCSeconds() !== second ||
    Number(oh) > 23 ||
    Number(om) > 59
  ) {
    throw refuse();
  }
  const offsetMinutes = zulu ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const millis = Number(`${fraction.slice(1)}000`.slice(0, 3)); // finer than a millisecond is dropped
  return new Date(local.getTime() - offsetMinutes * 60_000 + millis).toISOString();
}
