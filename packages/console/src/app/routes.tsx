/** @module Every page of the console and its path; pages load on first visit (or at once: preloadPage). */
import type { QueryClient } from "@tanstack/react-query";
import { Suspense } from "react";
import { matchRoutes, Navigate, Route, Routes } from "react-router";
import { Loading } from "@/components/states";
import { EnvironmentProvider } from "@/features/environments/environment-context";
import { environmentsQuery } from "@/features/environments/environments-query";
import { LiveUpdatesProvider } from "@/features/live/live-updates";
import { sessionQuery } from "@/features/session/session-query";
import { Layout } from "./layout";
import { type LazyPage, page } from "./lazy-page";
import { NotFoundPage } from "./not-found-page";
import { type PrefetchPage, pageAddress, prefetchEditor, prefetchRun } from "./page-data";
import { PageErrorBoundary } from "./page-error-boundary";
import { RequireSession } from "./require-session";

// Each page is its own chunk, loaded when first visited (or preloaded: preloadPage). Sign-in too:
// its form library is not needed by the pages a signed-in user opens.
const SignInPage = page(() => import("@/features/session/sign-in-page"), "SignInPage");
const AdminPage = page(() => import("@/features/admin/admin-page"), "AdminPage");
const AuditEntryPage = page(() => import("@/features/audit/audit-entry-page"), "AuditEntryPage");
const AuditPage = page(() => import("@/features/audit/audit-page"), "AuditPage");
const CatalogPage = page(() => import("@/features/catalog/catalog-page"), "CatalogPage");
const CatalogParameterPage = page(() => import("@/features/catalog/catalog-parameter-page"), "CatalogParameterPage");
const ChangeRequestPage = page(() => import("@/features/change-requests/change-request-page"), "ChangeRequestPage");
const ChangeRequestsPage = page(() => import("@/features/change-requests/change-requests-page"), "ChangeRequestsPage");
const DashboardPage = page(() => import("@/features/dashboard/dashboard-page"), "DashboardPage");
const ImportPage = page(() => import("@/features/imports/import-page"), "ImportPage");
const ImportsPage = page(() => import("@/features/imports/imports-page"), "ImportsPage");
const RunPage = page(() => import("@/features/runs/run-page"), "RunPage");
const RunsDiffPage = page(() => import("@/features/runs/runs-diff-page"), "RunsDiffPage");
const RunsPage = page(() => import("@/features/runs/runs-page"), "RunsPage");
const SubmitRunPage = page(() => import("@/features/runs/submit-run-page"), "SubmitRunPage");
const SweepPage = page(() => import("@/features/runs/sweep-page"), "SweepPage");
const EditorPage = page(() => import("@/features/strategies/editor-page"), "EditorPage");
const NewStrategyPage = page(() => import("@/features/strategies/new-strategy-page"), "NewStrategyPage");
const StrategiesPage = page(() => import("@/features/strategies/strategies-page"), "StrategiesPage");
const VersionPage = page(() => import("@/features/strategies/version-page"), "VersionPage");
const VersionsPage = page(() => import("@/features/strategies/versions-page"), "VersionsPage");
const RolloutPage = page(() => import("@/features/rollouts/rollout-page"), "RolloutPage");
const RolloutsPage = page(() => import("@/features/rollouts/rollouts-page"), "RolloutsPage");
const WorkerPage = page(() => import("@/features/workers/worker-page"), "WorkerPage");
const WorkersPage = page(() => import("@/features/workers/workers-page"), "WorkersPage");

/**
 * The signed-in pages by path ("/" is the index) and what their first render asks for (see
 * page-data); "strategies/:strategy" only redirects (below).
 */
const PAGES: { path: string; Page: LazyPage; prefetch?: PrefetchPage }[] = [
  { path: "/", Page: DashboardPage },
  { path: "strategies", Page: StrategiesPage },
  { path: "strategies/new", Page: NewStrategyPage },
  { path: "strategies/:strategy/edit", Page: EditorPage, prefetch: prefetchEditor },
  { path: "strategies/:strategy/versions", Page: VersionsPage },
  { path: "strategies/:strategy/versions/:configId", Page: VersionPage },
  { path: "change-requests", Page: ChangeRequestsPage },
  { path: "change-requests/:id", Page: ChangeRequestPage },
  { path: "runs", Page: RunsPage },
  { path: "runs/new", Page: SubmitRunPage },
  { path: "runs/diff", Page: RunsDiffPage },
  { path: "runs/:jobId", Page: RunPage, prefetch: prefetchRun },
  { path: "sweeps/:sweepId", Page: SweepPage },
  { path: "workers", Page: WorkersPage },
  { path: "workers/:workerId", Page: WorkerPage },
  { path: "rollouts", Page: RolloutsPage },
  { path: "rollouts/:id", Page: RolloutPage },
  { path: "audit", Page: AuditPage },
  { path: "audit/:seq", Page: AuditEntryPage },
  { path: "catalog", Page: CatalogPage },
  { path: "catalog/parameters/:name", Page: CatalogParameterPage },
  { path: "imports", Page: ImportsPage },
  { path: "imports/:id", Page: ImportPage },
  { path: "admin", Page: AdminPage },
];

/**
 * The console's first load: starts loading the code of the page at `pathname` at once, and asks
 * for the session, the environments (every signed-in page waits for both) and the page's data
 * alongside it. Without this, each would wait for the one before to arrive and render: a round trip
 * each on a phone's connection.
 */
export function preloadPage(pathname: string, client: QueryClient): void {
  // A failed load is shown by the page's error boundary when React asks for it again.
  if (pathname === "/sign-in") {
    SignInPage.preload().catch(() => undefined);
    return;
  }
  void client.prefetchQuery(sessionQuery);
  void client.prefetchQuery(environmentsQuery);
  const match = matchRoutes(
    PAGES.map(({ path }) => ({ path })),
    pathname,
  )?.at(-1);
  const page = PAGES.find((p) => p.path === match?.route.path);
  if (!match || !page) return;
  page.Page.preload().catch(() => undefined);
  page.prefetch?.(client, pageAddress(client, match.params));
}

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/sign-in"
        element={
          <PageErrorBoundary>
            <Suspense fallback={<Loading label="Loading the sign-in page" />}>
              <SignInPage />
            </Suspense>
          </PageErrorBoundary>
        }
      />
      <Route
        element={
          <RequireSession>
            <EnvironmentProvider>
              <LiveUpdatesProvider>
                <Layout />
              </LiveUpdatesProvider>
            </EnvironmentProvider>
          </RequireSession>
        }
      >
        {PAGES.map(({ path, Page }) =>
          path === "/" ? (
            <Route key={path} index element={<Page />} />
          ) : (
            <Route key={path} path={path} element={<Page />} />
          ),
        )}
        <Route path="strategies/:strategy" element={<Navigate to="edit" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
