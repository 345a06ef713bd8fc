/** @module What a plan's rows become, counted by action, in the words the import page shows. */
import type { ImportStep } from "@tradai/core";

export type StepAction = ImportStep["action"];

export const ACTION_TEXT: Record<StepAction, { label: string; count: (n: number) => string }> = {
  create: { label: "new version", count: (n) => `${n} new version(s)` },
  existing: { label: "existing version", count: (n) => `${n} already a version (same content)` },
  same_as_row: { label: "same as an earlier row", count: (n) => `${n} same as an earlier row (reverts, repeats)` },
};

/** How many rows each action has, every action listed (0 included), in a fixed order. */
export function countSteps(steps: readonly Pick<ImportStep, "action">[]): { action: StepAction; count: number }[] {
  const order: StepAction[] = ["create", "existing", "same_as_row"];
  return order.map((action) => ({ action, count: steps.filter((s) => s.action === action).length }));
}

/** "row 3", or "the live row" for the current one. */
export const rowText = (row: number | "current") => (row === "current" ? "the live row" : `row ${row}`);
