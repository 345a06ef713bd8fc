/**
 * @module Undoing an import (POST /api/v1/imports/{id}/undo): the version active before it active
 * again, the versions it made deprecated. A 409 (undone already, later changes stand on it, nothing
 * was active before) comes back as ApiError with the server's detail.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { invalidateGoverned } from "../governance/invalidate-governed";
import type { UndoResult } from "./import-types";

export function useUndoImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<UndoResult>(`/api/v1/imports/${encodeURIComponent(id)}/undo`, { method: "POST" }),
    onSettled: () => invalidateGoverned(client),
  });
}
