/** @module How an import's plan looks in the terminal: what each legacy row becomes, and what happens. */
import type { ImportPlan } from "@tradai/core";
import { formatTable } from "./table.js";

const SHOWN = 20;

export function importPlanText(plan: ImportPlan): string {
  const by = (action: string) => plan.steps.filter((s) => s.action === action).length;
  const head =
    plan.outcome === "planned"
      ? "DRY RUN: nothing was written; run again with --apply to import"
      : plan.outcome === "applied"
        ? `APPLIED: import ${plan.import_id}`
        : plan.outcome === "proposed"
          ? `PROPOSED: change request ${plan.change_request_id} needs approval (tradai change-request show ${plan.change_request_id})`
          : "UNCHANGED: this import was applied already";
  const steps =
    plan.steps.length > SHOWN ? [...plan.steps.slice(0, SHOWN / 2), ...plan.steps.slice(-SHOWN / 2)] : plan.steps;
  return [
    head,
    plan.summary,
    `from ${plan.source}: ${plan.steps.length} row(s): ${by("create")} new version(s), ${by("existing")} already a version, ${by("same_as_row")} equal to an earlier row (a revert or a repeat)`,
    `superset check: ${plan.superset.rows} row(s) kept byte-equal, ${plan.superset.keys} key(s) of the newest resolved equal`,
    formatTable([
      ["ROW", "BECOMES", "ACTION", "AUTHOR", "TIME", "COMMENT"],
      ...steps.map((s) => [
        String(s.row),
        s.config_id,
        s.action === "same_as_row" ? `same as row ${s.of_row}` : s.action,
        s.author ?? "-",
        s.time ?? "-",
        (s.comment ?? "-").slice(0, 60),
      ]),
    ]),
    ...(plan.steps.length > SHOWN ? [`(${plan.steps.length - SHOWN} more rows; --json shows all)`] : []),
  ].join("\n");
}
