/** @module Retiring a worker (POST /api/v1/workers/{id}/retire, admins): it leaves the view; its id is free again. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";

export interface RetiredWorker {
  worker_id: string;
  environment: string;
  reported_by: string;
  retired_at: string;
  retired_by: string;
}

export function useRetireWorker() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (workerId: string) =>
      api<RetiredWorker>(`/api/v1/workers/${encodeURIComponent(workerId)}/retire`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["workers"] }),
  });
}
