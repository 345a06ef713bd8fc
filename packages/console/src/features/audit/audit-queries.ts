/**
 * @module The audit trail's server state: a filtered page of entries, one entry, and the chain
 * verification. Keys start with `audit`, so the change feed refreshes them.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditEntry, AuditList, AuditVerification } from "@tradai/core";
import { api } from "@/lib/api";
import { AUDIT_PAGE_SIZE, type AuditFilter } from "./audit-filter";

export const auditKeys = {
  all: ["audit"] as const,
  list: (filter: AuditFilter, offset: number) => ["audit", "list", filter, offset] as const,
  entry: (seq: number) => ["audit", "entry", seq] as const,
  verify: ["audit", "verify"] as const,
  newest: ["audit", "newest"] as const,
};

/** The seq of the newest entry (null: none yet), so the entry page offers "Next" only where there is one. */
export function useNewestAuditSeq() {
  return useQuery({
    queryKey: auditKeys.newest,
    queryFn: async () => (await api<AuditList>("/api/v1/audit", { query: { limit: 1 } })).items[0]?.seq ?? null,
    refetchInterval: 15_000,
  });
}

/** A page of entries, newest first. Not every audited change is on the change feed: looked at again every 15 s. */
export function useAuditEntries(filter: AuditFilter, offset: number) {
  return useQuery({
    queryKey: auditKeys.list(filter, offset),
    queryFn: () => api<AuditList>("/api/v1/audit", { query: { ...filter, limit: AUDIT_PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

export function useAuditEntry(seq: number) {
  return useQuery({
    queryKey: auditKeys.entry(seq),
    queryFn: () => api<AuditEntry>(`/api/v1/audit/${seq}`),
    enabled: Number.isInteger(seq) && seq > 0,
    // An entry never changes (the table is append-only).
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The server recomputes the whole chain. */
export function useAuditVerification() {
  return useQuery({
    queryKey: auditKeys.verify,
    queryFn: () => api<AuditVerification>("/api/v1/audit/verify"),
    refetchInterval: 30_000,
  });
}
