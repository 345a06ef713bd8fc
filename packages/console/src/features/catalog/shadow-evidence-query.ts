/**
 * @module Shadow evidence (GET /api/v1/catalog/shadow): per key, the would-apply observations
 * workers reported of shadow parameters, on how many workers, over which period, how many mid-trade.
 */
import { useQuery } from "@tanstack/react-query";
import type { ShadowKeySummary } from "@tradai/core";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";

export interface ShadowEvidenceFilter {
  /** one environment; empty: every environment the reader may see */
  environment?: string;
  /** an ISO time: only observations made at or after it; empty: all time */
  since?: string;
}

export function useShadowEvidence({ environment = "", since = "" }: ShadowEvidenceFilter = {}) {
  return useQuery({
    queryKey: catalogKeys.shadow(environment, since),
    queryFn: ({ signal }) =>
      api<{ items: ShadowKeySummary[] }>("/api/v1/catalog/shadow", { query: { environment, since }, signal }),
    // Workers keep reporting: the evidence is looked at again while the page is open.
    refetchInterval: 30_000,
  });
}
