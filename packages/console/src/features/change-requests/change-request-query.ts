/** @module One change request with its diff and reviews (GET /api/v1/change-requests/{id}). */
import { useQuery } from "@tanstack/react-query";
import type { ChangeRequest } from "@tradai/core";
import { api } from "@/lib/api";
import { changeRequestKeys } from "./change-request-keys";

export function useChangeRequest(id: number) {
  return useQuery({
    queryKey: changeRequestKeys.one(id),
    queryFn: () => api<ChangeRequest>(`/api/v1/change-requests/${id}`),
    // Reviews by others do not go through the change feed; look again now and then while it is open.
    refetchInterval: (query) => (query.state.data?.status === "pending" ? 5_000 : false),
  });
}
