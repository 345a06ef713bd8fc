/** @module A time as the console shows it: absolute UTC, and how long ago or from now. */
import { Fragment } from "react";
import { formatAgo, formatTime } from "@/lib/format";

/** "in 3 d" for a time to come, "5 min ago" for one past. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (seconds <= 0) return formatAgo(iso, now);
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `in ${Math.floor(seconds / 3600)} h`;
  return `in ${Math.floor(seconds / 86_400)} d`;
}

/** "1 h 30 min", "2 d", "45 min": a duration in whole units. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400, "d"],
    [3600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  let rest = seconds;
  for (const [size, unit] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    rest -= count * size;
  }
  return parts.join(" ") || "0 s";
}

/** "2026-11-24 04:17:45 UTC" as its date and its time. */
function splitDate(text: string): string[] {
  const space = text.indexOf(" ");
  return space < 0 ? [text] : [text.slice(0, space), text.slice(space + 1)];
}

/** A time cell: the UTC time, with the relative time under it; a dash for none. */
export function When({ iso, none = "—" }: { iso: string | null | undefined; none?: string }) {
  if (!iso) return <span className="text-muted-foreground">{none}</span>;
  return (
    <span className="block">
      {/* Date and time may wrap apart in a narrow column, each one whole. */}
      <time dateTime={iso}>
        {splitDate(formatTime(iso)).map((part, i) => (
          // The space between the two is where the line may break.
          <Fragment key={part}>
            {i > 0 && " "}
            <span className="whitespace-nowrap">{part}</span>
          </Fragment>
        ))}
      </time>
      <span className="block text-xs text-muted-foreground">{formatRelative(iso)}</span>
    </span>
  );
}
