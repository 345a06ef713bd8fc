/** @module Change requests (GET /api/v1/change-requests). */
import { useQuery } from "@tanstack/react-query";
import type { changeRequestList } from "@tradai/core";
import type { z } from "zod";
import { api } from "@/lib/api";
import { changeRequestKeys } from "./change-request-keys";

export type ChangeRequestList = z.infer<typeof changeRequestList>;
export interface ChangeRequestFilter {
  status?: string;
  strategy?: string;
  environment?: string;
}

export function useChangeRequests(filter: ChangeRequestFilter = {}) {
  return useQuery({
    queryKey: changeRequestKeys.list(filter),
    queryFn: () => api<ChangeRequestList>("/api/v1/change-requests", { query: { ...filter } }),
    // Proposals do not go through the change feed; look again now and then.
    refetchInterval: 10_000,
  });
}
