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
import { ConflictError, StaleError } from "../../http/errors.js";
import { activationChange } from "../activation/change.js";
import { configStore } from "../configs/store.js";
import { resolveStrategy } from "../resolution/resolve.js";
import { type LegacyPlan, type PlannedRow, planLegacyImport } from "./legacy-plan.js";

/**
 * Every legacy row is a version with byte-equal content (canonical JSON), and every key of the
 * newest row resolves, in the environment, to an equal value.
 * @throws ConflictError naming the first row or key that would be lost
 */
export async function checkSuperset(q: Queryable, plan: ImportPlan, rows: PlannedRow[]): Promise<void> {
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

async function writeVersions(tx: Queryable, record: ChangeRecord, planned: LegacyPlan): Promise<void> {
  const { plan, rows } = planned;
  const store = configStore(tx);
  const at = await store.lockOrCreateStrategy(plan.strategy);
  for (const [i, step] of plan.steps.entries()) {
    if (step.action !== "create") continue;
    const row = rows[i] as PlannedRow;
    // The plan was made outside this transaction: what it predicted must still hold.
    if (await store.findLiveByHash(plan.strategy, row.hash)) {
      throw new StaleError(`a version with the content of legacy row ${step.row} was made meanwhile; plan again`);
    }
    const number = await store.takeNextVersionNumber(plan.strategy);
    const configId = `v${number}-${row.hash.slice(0, 8)}`;
    if (configId !== step.config_id) {
      throw new StaleError(
        `${plan.strategy} has new versions since the plan (${configId}, not ${step.config_id}); plan again`,
      );
    }
    const legacy = { importedFrom: plan.source, author: step.author, time: step.time, comment: step.comment };
    await store.insertVersion({
      strategy: plan.strategy,
      versionNumber: number,
      configId,
      hash: row.hash,
      data: row.values,
      description: step.comment ?? undefined,
      createdBy: record.actor.name,
      createdAt: at,
      catalogRevision: planned.catalogRevision,
      legacy,
    });
    record.audit({
      action: "config.create",
      target_type: "config_version",
      target_id: `${plan.strategy}/${configId}`,
      after: {
        strategy_name: plan.strategy,
        config_id: configId,
        config_hash: row.hash,
        config_data: row.values as JsonValue,
        catalog_revision: planned.catalogRevision,
        imported_from: plan.source,
        legacy_author: step.author,
        legacy_time: step.time,
        legacy_comment: step.comment,
      },
    });
  }
}

/** The import as one governed change: planned again inside its transaction, so nothing is stale. */
export function legacyImportChange(
  body: LegacyDbImportBody,
  environment: string,
): Change<{ plan: ImportPlan; diff: ValuesDiff }> {
  return {
    what: `the import of legacy rows from ${body.source} into ${body.strategy} (${environment})`,
    event: "activation",
    affects: [{ strategy: body.strategy, environment }],
    async work(tx, record) {
      const planned = await planLegacyImport(tx, body, environment);
      const { plan, rows } = planned;
      if (plan.outcome === "unchanged") return { plan, diff: diffValues({}, {}) };
      const store = configStore(tx);
      const active = await store.openActivation(plan.strategy, plan.environment);
      const before = active ? ((await store.findByConfigId(plan.strategy, active.config_id))?.config_data ?? {}) : {};
      const diff = diffValues(before as Record<string, unknown>, (rows.at(-1) as PlannedRow).values);
      await writeVersions(tx, record, planned);
      if (plan.activation.action === "activate") {
        const command = { strategy: plan.strategy, config_id: plan.activation.config_id as string, environment };
        await activationChange(() => command, { described: command }).work(tx, record);
      }
      await checkSuperset(tx, plan, rows);
      const id = randomUUID();
      const applied: ImportPlan = { ...plan, import_id: id, outcome: "applied" };
      await tx.query(
        `INSERT INTO imports (id, kind, source, strategy_name, environment, plan, applied_by)
         VALUES ($1, 'legacy-db', $2, $3, $4, $5::jsonb, $6)`,
        [id, plan.source, plan.strategy, plan.environment, JSON.stringify(applied), record.actor.name],
      );
      record.audit({
        action: "import.apply",
        target_type: "import",
        target_id: id,
        environment: plan.environment,
        after: {
          kind: "legacy-db",
          source: plan.source,
          strategy: plan.strategy,
          rows: rows.length,
          versions_created: plan.versions_created,
          activation: plan.activation,
        } as unknown as JsonValue,
      });
      return { plan: applied, diff };
    },
    propose: ({ plan, diff }) => ({
      kind: "import",
      command: { name: "import", payload: { body, environment } as unknown as JsonValue },
      summary: plan.summary,
      environment,
      diff,
    }),
  };
}
