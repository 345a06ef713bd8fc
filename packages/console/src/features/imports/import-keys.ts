/** @module Query keys of imports (one factory; the root is one a governed change refreshes). */

export const importKeys = {
  all: ["imports"] as const,
  list: () => ["imports", "list"] as const,
  one: (id: string) => ["imports", "one", id] as const,
};
