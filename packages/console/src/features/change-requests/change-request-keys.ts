/** @module Query keys of change requests (one factory; all under the root a governed change refreshes). */
import type { ChangeRequestFilter } from "./change-requests-query";

export const changeRequestKeys = {
  all: ["change-requests"] as const,
  list: (filter: ChangeRequestFilter = {}) => ["change-requests", "list", filter] as const,
  one: (id: number) => ["change-requests", "one", id] as const,
};
