/**
 * @module Importing legacy rows (POST /api/v1/imports/legacy-db): a dry run (`apply: false`, the
 * plan, nothing written) or the import in one governed change (outcome applied, proposed with its
 * change request, or unchanged). 422 (a row the catalog refuses), 409 and 423 come back as ApiError.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ImportPlan } from "@tradai/core";
import { api } from "@/lib/api";
import { invalidateGoverned } from "../governance/invalidate-governed";
import type { LegacyImportRequest } from "./import-types";

export interface LegacyImportInput {
  request: LegacyImportRequest;
  apply: boolean;
}

export function useLegacyImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ request, apply }: LegacyImportInput) =>
      api<ImportPlan>("/api/v1/imports/legacy-db", { body: { ...request, apply } }),
    // A dry run writes nothing; an import (applied, proposed or refused) may have changed versions and imports.
    onSettled: (_data, _error, { apply }) => (apply ? invalidateGoverned(client) : undefined),
  });
}
