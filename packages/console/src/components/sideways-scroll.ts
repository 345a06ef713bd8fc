/** @module Whether a box scrolls sideways, and whether it is scrolled to its start or its end. */
import { type RefObject, useLayoutEffect, useState } from "react";

export interface SidewaysScroll {
  /** The content is wider than the box. */
  scrolls: boolean;
  /** Nothing hidden on the left. */
  atStart: boolean;
  /** Nothing hidden on the right. */
  atEnd: boolean;
}

const NONE: SidewaysScroll = { scrolls: false, atStart: true, atEnd: true };

/** Sub-pixel widths: a box off by less than a pixel does not scroll. */
const measure = (element: HTMLElement): SidewaysScroll => {
  const hidden = element.scrollWidth - element.clientWidth;
  if (hidden <= 1) return NONE;
  return { scrolls: true, atStart: element.scrollLeft <= 1, atEnd: element.scrollLeft >= hidden - 1 };
};

const same = (a: SidewaysScroll, b: SidewaysScroll) =>
  a.scrolls === b.scrolls && a.atStart === b.atStart && a.atEnd === b.atEnd;

/**
 * Follows the box in `ref` as it is resized, its content changes size, or it is scrolled.
 * @example
 * const box = useRef<HTMLDivElement>(null);
 * const { scrolls, atEnd } = useSidewaysScroll(box);
 */
export function useSidewaysScroll(ref: RefObject<HTMLElement | null>): SidewaysScroll {
  const [state, setState] = useState<SidewaysScroll>(NONE);
  // Measured before the first paint: the hint is there when the table first shows, rather than
  // appearing a frame later and pushing the table down (a layout shift).
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => {
      const next = measure(element);
      setState((current) => (same(current, next) ? current : next));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    element.addEventListener("scroll", update, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener("scroll", update);
    };
  }, [ref]);
  return state;
}
