/** @module The imports made (GET /api/v1/imports, newest first) and one of them (GET /api/v1/imports/{id}). */
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { importKeys } from "./import-keys";
import type { AppliedImport } from "./import-types";

export function useImports() {
  return useQuery({
    queryKey: importKeys.list(),
    queryFn: () => api<{ items: AppliedImport[] }>("/api/v1/imports"),
  });
}

export function useImport(id: string) {
  return useQuery({
    queryKey: importKeys.one(id),
    queryFn: () => api<AppliedImport>(`/api/v1/imports/${encodeURIComponent(id)}`),
  });
}
