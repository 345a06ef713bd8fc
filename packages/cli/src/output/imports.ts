/** @module How an import's plan looks in the terminal: what each legacy row becomes, and what happens. */
import type { ConfigVersionsImportResult, Disagreement, ImportPlan } from "@tradai/core";
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
    plan.kind === "config-versions" ? registryStepsTable(steps) : stepsTable(steps),
    ...(plan.steps.length > SHOWN ? [`(${plan.steps.length - SHOWN} more rows; --json shows all)`] : []),
    ...(plan.inconsistencies.length > 0
      ? [
          "",
          `${plan.inconsistencies.length} inconsistenc(ies) in the legacy registry (kept only where consistent):`,
          ...plan.inconsistencies.map((i) => `  ${i.kind}: ${i.message}`),
        ]
      : []),
    ...(plan.disagreements.length > 0 ? ["", disagreementsText(plan.disagreements)] : []),
  ].join("\n");
}

const actionText = (s: ImportPlan["steps"][number]) =>
  s.action === "same_as_row" ? `same as row ${s.of_row}` : s.action;

function stepsTable(steps: ImportPlan["steps"]): string {
  return formatTable([
    ["ROW", "BECOMES", "ACTION", "AUTHOR", "TIME", "COMMENT"],
    ...steps.map((s) => [
      String(s.row),
      s.config_id,
      actionText(s),
      s.author ?? "-",
      s.time ?? "-",
      (s.comment ?? "-").slice(0, 60),
    ]),
  ]);
}

/** Registry items: their legacy id (kept or not), status and successor. */
function registryStepsTable(steps: ImportPlan["steps"]): string {
  return formatTable([
    ["ROW", "LEGACY_ID", "STATUS", "BECOMES", "ACTION", "SUPERSEDED_BY", "AUTHOR", "TIME"],
    ...steps.map((s) => [
      String(s.row),
      s.legacy_id ?? "-",
      s.legacy_status ?? "-",
      s.legacy_id && s.legacy_id === s.config_id ? `${s.config_id} (kept)` : s.config_id,
      actionText(s),
      s.superseded_by ?? "-",
      s.author ?? "-",
      s.time ?? "-",
    ]),
  ]);
}

/** A config-versions import: the whole, then each strategy's plan. */
export function configVersionsText(result: ConfigVersionsImportResult): string {
  return [result.summary, ...result.plans.map((p) => `\n== ${p.strategy} ==\n${importPlanText(p)}`)].join("\n");
}

const shown = (d: Disagreement, source: "db" | "file" | "env") => (source in d ? JSON.stringify(d[source]) : "-");

/** Where the live row, the baseline file and a pod's environment disagree: what each holds, and who wins. */
export function disagreementsText(disagreements: readonly Disagreement[]): string {
  if (disagreements.length === 0) return "the live row, the baseline file and the pod environment agree on every key";
  return [
    `${disagreements.length} key(s) disagree (the old rules served the pod environment when set, else the database row, else the file):`,
    formatTable([
      ["KEY", "DATABASE", "BASELINE FILE", "POD ENV", "OLD RULES SERVED", "TAKEN"],
      ...disagreements.map((d) => [
        d.key,
        shown(d, "db"),
        shown(d, "file"),
        shown(d, "env"),
        d.served_by_old_rules,
        "value" in d ? `${d.chosen} (${JSON.stringify(d.value)})` : `${d.chosen} (left out)`,
      ]),
    ]),
  ].join("\n");
}

/** The imports applied: when, by whom, from where, into what. */
export function importsTable(items: readonly (ImportPlan & { applied_by: string; applied_at: string })[]): string {
  if (items.length === 0) return "no import has been applied";
  return formatTable([
    ["IMPORT", "APPLIED_AT", "BY", "STRATEGY", "ENV", "ROWS", "NEW_VERSIONS", "SOURCE"],
    ...items.map((i) => [
      i.import_id ?? "-",
      i.applied_at,
      i.applied_by,
      i.strategy,
      i.environment,
      String(i.steps.length),
      String(i.versions_created),
      i.source,
    ]),
  ]);
}
