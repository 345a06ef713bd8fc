/** @module How a reload class reads: the words the catalog's select, badges and evidence use. */
import type { ReloadClass } from "@tradai/core";

/** The classes in the order the catalog form offers them: from the most to the least cautious, then shadow. */
export const RELOAD_OPTIONS: readonly ReloadClass[] = ["restart", "between_trades", "hot", "shadow"];

export const RELOAD_LABELS: Record<ReloadClass, string> = {
  hot: "hot",
  between_trades: "between trades",
  restart: "restart",
  shadow: "shadow",
};

/** What workers do with a change of a parameter of each class (the hint under the catalog form's select). */
export const RELOAD_HINTS: Record<ReloadClass, string> = {
  hot: "Workers apply a change live, at their next safe boundary.",
  between_trades: "Workers apply a change live, once they hold no open trade.",
  restart: "Workers apply a change on their next start.",
  shadow:
    "Workers never apply a change: they keep the value in use and report where they would have applied it (evidence before switching it to hot).",
};
