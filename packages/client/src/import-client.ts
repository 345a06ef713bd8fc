/**
 * @module The imports part of the API client: the legacy configuration's rows, planned (a dry run,
 * the default) or applied in one governed change; the imports made.
 */
import type {
  ConfigVersionsImportBody,
  ConfigVersionsImportResult,
  ImportPlan,
  LegacyDbImportBody,
  LegacyMirrorBody,
  LegacyMirrorView,
  LegacyRunsImportBody,
  LegacyRunsImportResult,
} from "@tradai/core";
import type { ApiCall } from "./api-client.js";

export type AppliedImport = ImportPlan & { applied_by: string; applied_at: string; undone_at: string | null };

export function importMethods(call: ApiCall) {
  return {
    /** `apply` false or absent: the plan only, nothing written. */
    importLegacyDb: (body: Omit<LegacyDbImportBody, "apply"> & { apply?: boolean }) =>
      call<ImportPlan>("POST", "/api/v1/imports/legacy-db", {}, JSON.stringify(body)),
    /** The legacy config-versions registry and YAML files of one environment: the plans, or applied. */
    importConfigVersions: (
      body: Omit<ConfigVersionsImportBody, "apply" | "files"> & {
        apply?: boolean;
        files?: ConfigVersionsImportBody["files"];
      },
    ) => call<ConfigVersionsImportResult>("POST", "/api/v1/imports/config-versions", {}, JSON.stringify(body)),
    /** Runs from before the migration, registered as legacy runs: the plan, or applied. */
    importLegacyRuns: (body: Omit<LegacyRunsImportBody, "apply"> & { apply?: boolean }) =>
      call<LegacyRunsImportResult>("POST", "/api/v1/imports/legacy-runs", {}, JSON.stringify(body)),
    /** The legacy mirrors with their lag. */
    listLegacyMirrors: (environment?: string) =>
      call<{ items: LegacyMirrorView[] }>("GET", "/api/v1/legacy-mirrors", { environment }),
    /** Turn one strategy's legacy mirror in an environment on or off (admin; a governed change). */
    setLegacyMirror: (
      environment: string,
      body: Omit<LegacyMirrorBody, "target"> & { target?: Partial<LegacyMirrorBody["target"]> },
    ) =>
      call<LegacyMirrorView>(
        "PUT",
        `/api/v1/legacy-mirrors/${encodeURIComponent(environment)}`,
        {},
        JSON.stringify(body),
      ),
    listImports: () => call<{ items: AppliedImport[] }>("GET", "/api/v1/imports"),
    getImport: (id: string) => call<AppliedImport>("GET", `/api/v1/imports/${encodeURIComponent(id)}`),
    /** The versions active before it active again, the versions it made deprecated. */
    undoImport: (id: string) =>
      call<{
        import_id: string;
        strategy: string;
        environment: string;
        reactivated: string | null;
        deprecated: string[];
      }>("POST", `/api/v1/imports/${encodeURIComponent(id)}/undo`),
  };
}
