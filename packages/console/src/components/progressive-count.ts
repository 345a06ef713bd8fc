/** @module A long list shown in slices: the first items at once, the rest a slice per frame. */
import { startTransition, useEffect, useState } from "react";

/**
 * How many of `total` items to render now: `first` at once, then `step` more after each paint, until
 * all are there. A form of a hundred fields built in one go is one long task on a phone's CPU (the
 * page cannot answer a tap meanwhile); in slices, the browser paints and answers between them.
 * @example
 * const shown = useProgressiveCount(groups.length, 1, 1);
 * return groups.slice(0, shown).map(renderGroup);
 */
export function useProgressiveCount(total: number, first: number, step: number): number {
  const [count, setCount] = useState(first);
  useEffect(() => {
    if (count >= total) return;
    // A task of its own, after this slice has been painted; as a transition, a tap comes first.
    const next = window.setTimeout(() => startTransition(() => setCount((c) => c + step)), 0);
    return () => window.clearTimeout(next);
  }, [count, total, step]);
  return Math.min(count, total);
}
