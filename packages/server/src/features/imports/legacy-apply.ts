/**
 * @module Carrying out a legacy import: in one governed change, the versions the plan creates (with
 * their legacy author, time and comment), the newest row's activation, the superset check, and the
 * import's record. All of it commits, or none: a check that fails rolls everything back.
 */

import { randomUUID } from "node:crypto";
import {
  canonicalJson,
  diffValues,
  type ImportPlan,
  type JsonValue,
  type LegacyDbImportBody,
  leaves,
  type ValuesDiff,
} from "@tradai/core";
import type { Change, ChangeRecord } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import { activationChange } from "../activation/change.js";
import { writeVersion } from "../configs/create-version.js";
import { configStore } from "../configs/store.js";
import { resolveStrategy } from "../resolution/resolve.js";
import { type LegacyPlan, legacyDbRows, type PlannedRow, planRows, type RowsToImport } from "./legacy-plan.js";

/**
 * Every legacy row is a version with byte-equal content (canonical JSON), and every key of the
 * newest row resolves, in the environment, to an equal value.
 * @throws ConflictError naming the first row or key that would be lost
 */
export async function checkSuperset(
  q: Queryable,
  plan: ImportPlan,
  rows: PlannedRow[],
  /** the newest row becomes active: its keys must resolve as it says */
  activates = true,
): Promise<void> {
  const { rows: stored } = await q.query<{ config_id: string; config_data: JsonValue }>(
    "SELECT config_id, config_data FROM config_versions WHERE strategy_name = $1 AND config_id = ANY($2::text[])",
    [plan.strategy, [...new Set(plan.steps.map((s) => s.config_id))]],
  );
  const kept = new Map(stored.map((v) => [v.config_id, canonicalJson(v.config_data)]));
  for (const [i, step] of plan.steps.entries()) {
    const row = rows[i] as PlannedRow;
    if (kept.get(step.config_id) !== row.canonical) {
      throw new ConflictError(
        `the superset check failed: legacy row ${step.row} is not kept byte-equal as ${step.config_id}; nothing was imported`,
      );
    }
  }
  if (!activates) return;
  const newest = rows.at(-1) as PlannedRow;
  const resolved = await resolveStrategy(q, plan.strategy, plan.environment, false);
  const inUse = leaves(resolved.values);
  for (const [key, value] of leaves(newest.values)) {
    if (!inUse.has(key) || canonicalJson(inUse.get(key) as JsonValue) !== canonicalJson(value as JsonValue)) {
      throw new ConflictError(
        `the superset check failed: ${key} of the newest legacy row resolves to ${JSON.stringify(inUse.get(key))} in ${plan.environment}, not ${JSON.stringify(value)}; nothing was imported`,
      );
    }
  }
}

/** The versions the plan creates, written as any version is (configs/create-version.ts), with their legacy provenance. */
async function writeVersions(tx: Queryable, record: ChangeRecord, planned: LegacyPlan): Promise<void> {
  const { plan, rows } = planned;
  const numberOf = (configId: string) => Number(configId.slice(1, configId.indexOf("-")));
  // In number order: version numbers only go up, and a kept legacy id may come after a new one.
  const creates = [...plan.steps.entries()]
    .filter(([, step]) => step.action === "create")
    .sort(([, a], [, b]) => numberOf(a.config_id) - numberOf(b.config_id));
  for (const [i, step] of creates) {
    const row = rows[i] as PlannedRow;
    await writeVersion(
      tx,
      record,
      { strategy_name: plan.strategy, config_data: row.values, ...(step.comment ? { description: step.comment } : {}) },
      planned.catalogRevision,
      {
        importedFrom: plan.source,
        author: step.author,
        time: step.time,
        comment: step.comment,
        // Planned in this same transaction: the number it chose (a kept legacy id) is still free.
        versionNumber: numberOf(step.config_id),
      },
    );
  }
}

/**
 * One strategy's import inside a governed change: planned again in its transaction (so nothing is
 * stale), its versions, its activation, the superset check, the import's record and audit entry.
 */
export async function importRows(
  tx: Queryable,
  record: ChangeRecord,
  input: RowsToImport,
  environment: string,
): Promise<{ plan: ImportPlan; diff: ValuesDiff }> {
  const planned = await planRows(tx, input, environment);
  const { plan, rows } = planned;
  if (plan.outcome === "unchanged") return { plan, diff: diffValues({}, {}) };
  const store = configStore(tx);
  const active = await store.openActivation(plan.strategy, plan.environment);
  const before = active ? ((await store.findByConfigId(plan.strategy, active.config_id))?.config_data ?? {}) : {};
  const after = input.activates ? (rows.at(-1) as PlannedRow).values : before;
  const diff = diffValues(before as Record<string, unknown>, after as Record<string, unknown>);
  await writeVersions(tx, record, planned);
  if (plan.activation.action === "activate") {
    const command = { strategy: plan.strategy, config_id: plan.activation.config_id as string, environment };
    await activationChange(() => command, { described: command }).work(tx, record);
  }
  await checkSuperset(tx, plan, rows, input.activates);
  const id = randomUUID();
  const applied: ImportPlan = { ...plan, import_id: id, outcome: "applied" };
  await tx.query(
    `INSERT INTO imports (id, kind, source, strategy_name, environment, plan, applied_by)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [id, plan.kind, plan.source, plan.strategy, plan.environment, JSON.stringify(applied), record.actor.name],
  );
  record.audit({
    action: "import.apply",
    target_type: "import",
    target_id: id,
    environment: plan.environment,
    after: {
      kind: plan.kind,
      source: plan.source,
      strategy: plan.strategy,
      rows: rows.length,
      versions_created: plan.versions_created,
      activation: plan.activation,
      inconsistencies: plan.inconsistencies.length,
    } as unknown as JsonValue,
  });
  return { plan: applied, diff };
}

/** The import as one governed change. */
export function legacyImportChange(
  body: LegacyDbImportBody,
  environment: string,
): Change<{ plan: ImportPlan; diff: ValuesDiff }> {
  return {
    what: `the import of legacy rows from ${body.source} into ${body.strategy} (${environment})`,
    event: "activation",
    affects: [{ strategy: body.strategy, environment }],
    work: (tx, record) => importRows(tx, record, legacyDbRows(body), environment),
    propose: ({ plan, diff }) => ({
      kind: "import",
      command: { name: "import", payload: { body, environment } as unknown as JsonValue },
      summary: plan.summary,
      environment,
      diff,
    }),
  };
}
