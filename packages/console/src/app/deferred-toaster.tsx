/**
 * @module The toasts' container, mounted once the first page has loaded and the browser is idle:
 * toasts only follow what a user does, so their code need not compete with the page's code, data
 * and first render for a slow connection or a phone's CPU.
 */
import { lazy, Suspense, useEffect, useState } from "react";

const Toaster = lazy(async () => ({ default: (await import("sonner")).Toaster }));

export function DeferredToaster() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready) return;
    let idle: number | undefined;
    const loaded = () => {
      // Safari has no requestIdleCallback: a short wait instead.
      idle =
        typeof requestIdleCallback === "function"
          ? requestIdleCallback(() => setReady(true), { timeout: 3_000 })
          : window.setTimeout(() => setReady(true), 1_000);
    };
    if (document.readyState === "complete") loaded();
    else window.addEventListener("load", loaded, { once: true });
    return () => {
      window.removeEventListener("load", loaded);
      if (idle !== undefined) {
        if (typeof cancelIdleCallback === "function") cancelIdleCallback(idle);
        else window.clearTimeout(idle);
      }
    };
  }, [ready]);
  if (!ready) return null;
  return (
    <Suspense fallback={null}>
      <Toaster position="bottom-right" closeButton />
    </Suspense>
  );
}
