/** @module Whether an element is on screen or about to be: for costly content drawn only once seen. */
import { type RefCallback, useCallback, useState } from "react";

/**
 * A ref for the element, and whether it has come within `margin` of the viewport (it stays true).
 * @example
 * const [box, near] = useNearViewport<HTMLDivElement>();
 * return <div ref={box}>{near ? <Chart /> : <Skeleton />}</div>;
 */
export function useNearViewport<T extends Element>(margin = "200px"): [RefCallback<T>, boolean] {
  const [near, setNear] = useState(() => typeof IntersectionObserver === "undefined");
  const ref = useCallback(
    (element: T | null) => {
      if (!element || near) return;
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            setNear(true);
            observer.disconnect();
          }
        },
        { rootMargin: margin },
      );
      observer.observe(element);
      return () => observer.disconnect();
    },
    [near, margin],
  );
  return [ref, near];
}
