/** @module `tradai strategies`: every strategy with its active version in each environment. */
import type { StrategyList } from "@tradai/core";
import { formatTable } from "./table.js";

/** STRATEGY, then one column per environment (the server's order) holding the active config id, `-` where none. */
export function strategyTable(list: StrategyList): string {
  if (list.items.length === 0) return "No strategy has a config version yet.";
  return formatTable([
    ["STRATEGY", ...list.environments],
    ...list.items.map((s) => [s.strategy_name, ...list.environments.map((env) => s.active[env] ?? "-")]),
  ]);
}
