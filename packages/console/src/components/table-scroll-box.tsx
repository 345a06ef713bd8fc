/**
 * @module The box every table sits in: on a screen narrower than the table, the table scrolls
 * sideways inside it instead of widening the page, and the box shows that it does: a fade at each
 * edge that hides columns, and a "scroll →" hint above (its arrows say which way there is more).
 * While it scrolls, the box is a labelled tab stop, so the keyboard can scroll it too (WCAG:
 * scrollable regions must be reachable by keyboard). `relative`: the box contains any sr-only text
 * in its cells, which would otherwise widen the whole page on a phone.
 */
import { type ReactNode, useRef } from "react";
import { cn } from "@/lib/utils";
import { useSidewaysScroll } from "./sideways-scroll";

const fade = "pointer-events-none absolute inset-y-0 w-10 from-card to-transparent";

function hintText(atStart: boolean, atEnd: boolean): string {
  if (atStart) return "scroll →";
  if (atEnd) return "← scroll";
  return "← scroll →";
}

export function TableScrollBox({ label, children }: { label: string | undefined; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const { scrolls, atStart, atEnd } = useSidewaysScroll(box);
  return (
    <div className="w-full" data-table-scrolls={scrolls}>
      {scrolls && (
        // The region's own label says it scrolls; this is for the eyes.
        <p aria-hidden className="mb-1 text-right text-xs text-muted-foreground" data-testid="table-scroll-hint">
          {hintText(atStart, atEnd)}
        </p>
      )}
      <div className="relative">
        <div
          ref={box}
          className="relative w-full overflow-x-auto focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          {...(scrolls
            ? {
                tabIndex: 0,
                role: "region",
                "aria-label": label ? `${label} (scrolls sideways)` : "Table (scrolls sideways)",
              }
            : {})}
        >
          {children}
        </div>
        {scrolls && !atStart && <div aria-hidden className={cn(fade, "left-0 bg-linear-to-r")} />}
        {scrolls && !atEnd && (
          <div aria-hidden className={cn(fade, "right-0 bg-linear-to-l")} data-testid="table-scroll-fade" />
        )}
      </div>
    </div>
  );
}
