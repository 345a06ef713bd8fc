/** @module How a parameter's rules read in a table: its default, and its bounds or allowed values. */
import type { CatalogParameter } from "@tradai/core";
import { formatValue } from "@/components/diff-table";

export const defaultText = (p: CatalogParameter) => (p.default === undefined ? "—" : formatValue(p.default));

/** `2 … 100, step 1`, `one of 5m, 1h`, or — when the parameter has neither. */
export function boundsText(p: CatalogParameter): string {
  const parts: string[] = [];
  if (p.min !== undefined || p.max !== undefined) parts.push(`${p.min ?? "−∞"} … ${p.max ?? "∞"}`);
  if (p.step !== undefined) parts.push(`step ${p.step}`);
  if (p.allowed?.length) parts.push(`one of ${p.allowed.map((v) => formatValue(v)).join(", ")}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}
