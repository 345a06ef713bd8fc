/** @module Every page of the console and its path. */
import { Navigate, Route, Routes } from "react-router";
import { AdminPage } from "@/features/admin/admin-page";
import { AuditEntryPage } from "@/features/audit/audit-entry-page";
import { AuditPage } from "@/features/audit/audit-page";
import { CatalogPage } from "@/features/catalog/catalog-page";
import { CatalogParameterPage } from "@/features/catalog/catalog-parameter-page";
import { ChangeRequestPage } from "@/features/change-requests/change-request-page";
import { ChangeRequestsPage } from "@/features/change-requests/change-requests-page";
import { DashboardPage } from "@/features/dashboard/dashboard-page";
import { EnvironmentProvider } from "@/features/environments/environment-context";
import { ImportPage } from "@/features/imports/import-page";
import { ImportsPage } from "@/features/imports/imports-page";
import { LiveUpdatesProvider } from "@/features/live/live-updates";
import { RunPage } from "@/features/runs/run-page";
import { RunsDiffPage } from "@/features/runs/runs-diff-page";
import { RunsPage } from "@/features/runs/runs-page";
import { SubmitRunPage } from "@/features/runs/submit-run-page";
import { SweepPage } from "@/features/runs/sweep-page";
import { SignInPage } from "@/features/session/sign-in-page";
import { EditorPage } from "@/features/strategies/editor-page";
import { NewStrategyPage } from "@/features/strategies/new-strategy-page";
import { StrategiesPage } from "@/features/strategies/strategies-page";
import { VersionPage } from "@/features/strategies/version-page";
import { VersionsPage } from "@/features/strategies/versions-page";
import { WorkerPage } from "@/features/workers/worker-page";
import { WorkersPage } from "@/features/workers/workers-page";
import { Layout } from "./layout";
import { NotFoundPage } from "./not-found-page";
import { RequireSession } from "./require-session";

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
