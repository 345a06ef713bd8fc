/**
 * @module Importing the legacy config-versions registry and the strategies' YAML files: each
 * strategy's rows (arranged by core's arrangeConfigVersions, inconsistencies reported) planned and
 * applied as a legacy-db import is, all strategies in one governed change; each leaves an import
 * record of its own, so each can be undone on its own.
 */
import {
  arrangeConfigVersions,
  type ConfigVersionsImportBody,
  type ConfigVersionsImportResult,
  type ImportPlan,
  type JsonValue,
  type ValuesDiff,
} from "@tradai/core";
import type { Change } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";
import { importRows } from "./legacy-apply.js";
import { planRows, type RowsToImport } from "./legacy-plan.js";

export function configVersionsRows(body: ConfigVersionsImportBody): RowsToImport[] {
  return arrangeConfigVersions(body).map((s) => ({
    kind: "config-versions",
    strategy: s.strategy,
    source: body.source,
    history: s.history,
    current: s.current,
    activates: s.current !== null,
    disagreements: [],
    inconsistencies: s.inconsistencies,
  }));
}

function resultOf(
  body: ConfigVersionsImportBody,
  environment: string,
  plans: ImportPlan[],
  outcome: ConfigVersionsImportResult["outcome"],
): ConfigVersionsImportResult {
  const created = plans.reduce((n, p) => n + p.versions_created, 0);
  const activated = plans.filter((p) => p.activation.action === "activate").length;
  const inconsistencies = plans.reduce((n, p) => n + p.inconsistencies.length, 0);
  return {
    outcome,
    environment,
    source: body.source,
    plans,
    change_request_id: null,
    summary:
      outcome === "unchanged"
        ? `nothing to change: the ${plans.length} strategies' registry items and files are versions here already`
        : `${plans.length} strateg${plans.length === 1 ? "y" : "ies"}: ${created} new version(s), ${activated} activation(s) in ${environment}, ${inconsistencies} inconsistenc${inconsistencies === 1 ? "y" : "ies"} in the registry`,
  };
}

/** The plans (a dry run): reads only. */
export async function planConfigVersions(
  q: Queryable,
  body: ConfigVersionsImportBody,
  environment: string,
): Promise<ConfigVersionsImportResult> {
  const plans: ImportPlan[] = [];
  for (const input of configVersionsRows(body)) plans.push((await planRows(q, input, environment)).plan);
  const unchanged = plans.every((p) => p.outcome === "unchanged");
  return resultOf(body, environment, plans, unchanged ? "unchanged" : "planned");
}

export function configVersionsImportChange(
  body: ConfigVersionsImportBody,
  environment: string,
): Change<{ result: ConfigVersionsImportResult; diff: ValuesDiff }> {
  const inputs = configVersionsRows(body);
  return {
    what: `the import of the legacy config registry from ${body.source} (${inputs.length} strategies, ${environment})`,
    event: "activation",
    affects: inputs.map((i) => ({ strategy: i.strategy, environment })),
    async work(tx, record) {
      const plans: ImportPlan[] = [];
      // One diff for the change request: each strategy's keys under its name.
      const diff: ValuesDiff = { added: {}, removed: {}, changed: {} };
      for (const input of inputs) {
        const done = await importRows(tx, record, input, environment);
        plans.push(done.plan);
        for (const part of ["added", "removed", "changed"] as const) {
          for (const [key, value] of Object.entries(done.diff[part])) {
            (diff[part] as Record<string, unknown>)[`${input.strategy}.${key}`] = value;
          }
        }
      }
      const applied = plans.every((p) => p.outcome === "unchanged") ? "unchanged" : "applied";
      return { result: resultOf(body, environment, plans, applied), diff };
    },
    propose: ({ result, diff }) => ({
      kind: "import",
      command: { name: "import-config-versions", payload: { body, environment } as unknown as JsonValue },
      summary: result.summary,
      environment,
      diff,
    }),
  };
}
