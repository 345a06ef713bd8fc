/**
 * @module Freeze windows in time: a one-off window is [starts_at, ends_at); a recurring one starts
 * at each time its cron expression gives (cron-parser, in its time zone) and lasts its duration.
 */
import { CronExpressionParser } from "cron-parser";

export interface FreezeTiming {
  starts_at: Date | null;
  ends_at: Date | null;
  cron: string | null;
  duration_seconds: number | null;
  time_zone: string | null;
}

/** When the window covers `now`, the end of that occurrence; otherwise null. */
export function activeUntil(window: FreezeTiming, now: Date): Date | null {
  if (window.starts_at && window.ends_at) {
    return window.starts_at <= now && now < window.ends_at ? window.ends_at : null;
  }
  if (!window.cron || !window.duration_seconds) return null;
  // The latest start at or before now (prev() is strictly before its current date).
  const start = CronExpressionParser.parse(window.cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: window.time_zone ?? "UTC",
  })
    .prev()
    .toDate();
  const end = new Date(start.getTime() + window.duration_seconds * 1000);
  return now < end ? end : null;
}

/** @returns a message naming what is wrong with the expression or zone, or null when usable */
export function cronProblem(cron: string, timeZone: string): { field: string; message: string } | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    return { field: "time_zone", message: `unknown time zone "${timeZone}" (use an IANA name, e.g. Europe/London)` };
  }
  if (cron.trim().split(/\s+/).length !== 5) {
    return { field: "cron", message: "must have five fields: minute hour day-of-month month day-of-week" };
  }
  try {
    CronExpressionParser.parse(cron, { tz: timeZone, strict: false }).next();
    return null;
  } catch (error) {
    return { field: "cron", message: `not a cron expression: ${(error as Error).message}` };
  }
}
