/** @module Every page of the console and its path; pages load on first visit. */
import { Navigate, Route, Routes } from "react-router";
import { EnvironmentProvider } from "@/features/environments/environment-context";
import { LiveUpdatesProvider } from "@/features/live/live-updates";
import { SignInPage } from "@/features/session/sign-in-page";
import { Layout } from "./layout";
import { page } from "./lazy-page";
import { NotFoundPage } from "./not-found-page";
import { RequireSession } from "./require-session";

// Each page is its own chunk, loaded when first visited (sign-in stays in the first one).
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
const WorkerPage = page(() => import("@/features/workers/worker-page"), "WorkerPage");
const WorkersPage = page(() => import("@/features/workers/workers-page"), "WorkersPage");

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
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
        <Route index element={<DashboardPage />} />
        <Route path="strategies" element={<StrategiesPage />} />
        <Route path="strategies/new" element={<NewStrategyPage />} />
        <Route path="strategies/:strategy" element={<Navigate to="edit" replace />} />
        <Route path="strategies/:strategy/edit" element={<EditorPage />} />
        <Route path="strategies/:strategy/versions" element={<VersionsPage />} />
        <Route path="strategies/:strategy/versions/:configId" element={<VersionPage />} />
        <Route path="change-requests" element={<ChangeRequestsPage />} />
        <Route path="change-requests/:id" element={<ChangeRequestPage />} />
        <Route path="runs" element={<RunsPage />} />
        <Route path="runs/new" element={<SubmitRunPage />} />
        <Route path="runs/diff" element={<RunsDiffPage />} />
        <Route path="runs/:jobId" element={<RunPage />} />
        <Route path="sweeps/:sweepId" element={<SweepPage />} />
        <Route path="workers" element={<WorkersPage />} />
        <Route path="workers/:workerId" element={<WorkerPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="audit/:seq" element={<AuditEntryPage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route path="catalog/parameters/:name" element={<CatalogParameterPage />} />
        <Route path="imports" element={<ImportsPage />} />
        <Route path="imports/:id" element={<ImportPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
