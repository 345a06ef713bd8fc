/** @module The console's entry point: server state and routing around the routes. */
// First: before any schema exists (see the module).
import "@/lib/zod-jitless";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, startTransition } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { DeferredToaster } from "@/app/deferred-toaster";
import { AppRoutes, preloadPage } from "@/app/routes";
import { ApiError } from "@/lib/api";
import "./index.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A 4xx will not change by asking again; a dropped connection may.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

// The first page's code and data, the session and the environments load side by side.
preloadPage(window.location.pathname, queryClient);
const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
// A transition: React renders the first screen in slices and lets the browser breathe between
// them, instead of one long task that a phone's slow CPU turns into a frozen page (TBT).
startTransition(() =>
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AppRoutes />
          <DeferredToaster />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  ),
);
