/** @module Strategies with their active version per environment (GET /api/v1/configs). */
import { useQuery } from "@tanstack/react-query";
import type { StrategyList } from "@tradai/core";
import { api } from "@/lib/api";

export const strategiesKey = ["configs", "strategies"] as const;

export function useStrategies() {
  return useQuery({ queryKey: strategiesKey, queryFn: () => api<StrategyList>("/api/v1/configs") });
}
