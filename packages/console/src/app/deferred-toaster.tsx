/**
 * @module The toasts' container, mounted once the first page has loaded: toasts only follow what a
 * user does, so their code need not compete with the page's code and data for a slow connection.
 */
import { lazy, Suspense, useEffect, useState } from "react";

const Toaster = lazy(async () => ({ default: (await import("sonner")).Toaster }));

export function DeferredToaster() {
  const [ready, setReady] = useState(() => document.readyState === "complete");
  useEffect(() => {
    if (ready) return;
    const loaded = () => setReady(true);
    window.addEventListener("load", loaded, { once: true });
    return () => window.removeEventListener("load", loaded);
  }, [ready]);
  if (!ready) return null;
  return (
    <Suspense fallback={null}>
      <Toaster position="bottom-right" closeButton />
    </Suspense>
  );
}
