/** @module The variants grid of some parameters (GET /api/v1/catalog/grid?parameters=a,b). */
import { useQuery } from "@tanstack/react-query";
import type { VariantGrid } from "@tradai/core";
import { api } from "@/lib/api";
import { catalogKeys } from "./catalog-keys";

/** Idle while no parameter is picked. */
export function useVariantGrid(parameters: readonly string[]) {
  return useQuery({
    queryKey: catalogKeys.grid(parameters),
    queryFn: ({ signal }) =>
      api<VariantGrid>("/api/v1/catalog/grid", { query: { parameters: parameters.join(",") }, signal }),
    enabled: parameters.length > 0,
    retry: false,
  });
}
