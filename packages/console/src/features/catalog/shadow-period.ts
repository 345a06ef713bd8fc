/** @module The periods shadow evidence is looked at over: all time, or the last day, week or month. */

export const SHADOW_PERIODS = {
  all: { label: "all time", ms: 0 },
  day: { label: "the last 24 hours", ms: 86_400_000 },
  week: { label: "the last 7 days", ms: 7 * 86_400_000 },
  month: { label: "the last 30 days", ms: 30 * 86_400_000 },
} as const;

export type ShadowPeriod = keyof typeof SHADOW_PERIODS;

export const isShadowPeriod = (value: string): value is ShadowPeriod => Object.hasOwn(SHADOW_PERIODS, value);

/** The ISO time the period starts at, seen from `now`; empty for all time. */
export function sinceOf(period: ShadowPeriod, now = Date.now()): string {
  const { ms } = SHADOW_PERIODS[period];
  return ms === 0 ? "" : new Date(now - ms).toISOString();
}
