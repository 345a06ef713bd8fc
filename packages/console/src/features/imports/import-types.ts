/**
 * @module What the imports API answers: an import as recorded (its plan, who applied it, when, and
 * whether it was undone), and what an undo did. The plan itself is core's `ImportPlan`.
 */
import type { ImportPlan, LegacyDbImportBody } from "@tradai/core";

/** GET /api/v1/imports(/{id}): the plan as applied, with who, when, and the undo. */
export type AppliedImport = ImportPlan & { applied_by: string; applied_at: string; undone_at: string | null };

/** POST /api/v1/imports/{id}/undo: the version active again (null: none was reactivated), the versions deprecated. */
export interface UndoResult {
  import_id: string;
  strategy: string;
  environment: string;
  reactivated: string | null;
  deprecated: string[];
}

/** The body of POST /api/v1/imports/legacy-db, without `apply` (the mutation says which). */
export type LegacyImportRequest = Pick<
  LegacyDbImportBody,
  "strategy" | "environment" | "source" | "history" | "current"
>;
