/** @module Environments with their policy and freeze windows (GET /api/v1/environments). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { environmentList } from "@tradai/core";
import type { z } from "zod";
import { api } from "@/lib/api";

export type EnvironmentView = z.infer<typeof environmentList>["items"][number];

export const environmentsKey = ["environments"] as const;

export const environmentsQuery = queryOptions({
  queryKey: environmentsKey,
  queryFn: () => api<z.infer<typeof environmentList>>("/api/v1/environments"),
  staleTime: 30_000,
});

export function useEnvironments() {
  // "frozen" follows the clock (a window starts or ends): looked at again every 30 s.
  return useQuery({ ...environmentsQuery, refetchInterval: 30_000 });
}
