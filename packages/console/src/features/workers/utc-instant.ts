/** @module The "what did it run at" field's value, read as UTC. */

/**
 * A datetime-local value ("2026-12-06T14:03" or "2026-12-06T14:03:07"), read as UTC, to ISO; a
 * value with its own zone keeps it. Undefined when it is no time at all.
 */
export function utcInstant(value: string): string | undefined {
  const zoned = /([zZ]|[+-]\d{2}:\d{2})$/.test(value);
  const withSeconds = /T\d{2}:\d{2}$/.test(value) ? `${value}:00` : value;
  const ms = Date.parse(zoned ? withSeconds : `${withSeconds}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
