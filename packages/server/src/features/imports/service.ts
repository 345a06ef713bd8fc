/**
 * @module Imports from the legacy configuration. A dry run (the default) answers the plan and writes
 * nothing; an apply carries it out as one governed change (audit, events, approval where the
 * environment's policy asks for it); a second apply of the same rows changes nothing and says so.
 */
import type {
  ConfigVersionsImportBody,
  ConfigVersionsImportResult,
  ImportPlan,
  LegacyDbImportBody,
  LegacyRunsImportBody,
  LegacyRunsImportResult,
} from "@tradai/core";
import { type Actor, assertInScope } from "../../changes/actor.js";
import { type Change, mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { NotFoundError } from "../../http/errors.js";
import type { Environments } from "../environments/environments.js";
import { configVersionsImportChange, planConfigVersions } from "./config-versions.js";
import { legacyImportChange } from "./legacy-apply.js";
import { planLegacyImport } from "./legacy-plan.js";
import { legacyRunsChange, planLegacyRuns } from "./legacy-runs.js";
import { importUndoChange } from "./undo.js";

export function importServiceFactory({
  db,
  changes,
  environments,
  deprecatedTtlDays,
}: {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  /** how long the versions an undone import made are kept before they may be purged */
  deprecatedTtlDays: number;
}) {
  changes.registerCommand("import", (payload) => {
    const { body, environment } = payload as unknown as { body: LegacyDbImportBody; environment: string };
    return legacyImportChange(body, environment) as Change<unknown>;
  });
  changes.registerCommand("import-config-versions", (payload) => {
    const { body, environment } = payload as unknown as { body: ConfigVersionsImportBody; environment: string };
    return configVersionsImportChange(body, environment) as Change<unknown>;
  });

  return {
    async legacyDb(body: LegacyDbImportBody, actor: Actor): Promise<ImportPlan> {
      const environment = environments.resolve(body.environment, { location: "body", field: "environment" });
      assertInScope(actor, environment);
      const { plan } = await planLegacyImport(db, body, environment);
      if (!body.apply || plan.outcome === "unchanged") return plan;
      const outcome = await changes.commitChange(actor, legacyImportChange(body, environment));
      if (outcome.outcome === "proposed") {
        return {
          ...plan,
          outcome: "proposed",
          change_request_id: outcome.change_request_id,
          summary: `${plan.summary}: it needs approval (change request ${outcome.change_request_id})`,
        };
      }
      return outcome.result.plan;
    },

    async configVersions(body: ConfigVersionsImportBody, actor: Actor): Promise<ConfigVersionsImportResult> {
      const environment = environments.resolve(body.environment, { location: "body", field: "environment" });
      assertInScope(actor, environment);
      const planned = await planConfigVersions(db, body, environment);
      if (!body.apply || planned.outcome === "unchanged") return planned;
      const outcome = await changes.commitChange(actor, configVersionsImportChange(body, environment));
      if (outcome.outcome === "proposed") {
        return {
          ...planned,
          outcome: "proposed",
          change_request_id: outcome.change_request_id,
          summary: `${planned.summary}: it needs approval (change request ${outcome.change_request_id})`,
        };
      }
      return outcome.result.result;
    },

    /** Runs from before the migration, registered as legacy runs (see legacy-runs.ts). */
    async legacyRuns(body: LegacyRunsImportBody, actor: Actor): Promise<LegacyRunsImportResult> {
      const environment = environments.resolve(body.environment, { location: "body", field: "environment" });
      assertInScope(actor, environment);
      const planned = await planLegacyRuns(db, body, environment);
      if (!body.apply || planned.outcome === "unchanged") return planned;
      return mustApply(await changes.commitChange(actor, legacyRunsChange(body, environment)));
    },

    async list(): Promise<{
      items: (ImportPlan & { applied_by: string; applied_at: string; undone_at: string | null })[];
    }> {
      const { rows } = await db.query<{
        plan: ImportPlan;
        applied_by: string;
        applied_at: Date;
        undone_at: Date | null;
      }>(
        `SELECT i.plan, i.applied_by, i.applied_at, u.undone_at FROM imports i
         LEFT JOIN import_undos u ON u.import_id = i.id ORDER BY i.applied_at DESC LIMIT 200`,
      );
      return {
        items: rows.map((r) => ({
          ...r.plan,
          applied_by: r.applied_by,
          applied_at: r.applied_at.toISOString(),
          undone_at: r.undone_at?.toISOString() ?? null,
        })),
      };
    },

    /** Restores what the import changed, through history (see undo.ts). */
    async undo(id: string, actor: Actor) {
      const found = await this.get(id);
      assertInScope(actor, found.environment);
      const { reactivated, deprecated } = mustApply(
        await changes.commitChange(actor, importUndoChange(id, found, deprecatedTtlDays)),
      );
      return { import_id: id, strategy: found.strategy, environment: found.environment, reactivated, deprecated };
    },

    async get(id: string) {
      const { rows } = await db.query<{
        plan: ImportPlan;
        applied_by: string;
        applied_at: Date;
        undone_at: Date | null;
      }>(
        `SELECT i.plan, i.applied_by, i.applied_at, u.undone_at FROM imports i
         LEFT JOIN import_undos u ON u.import_id = i.id WHERE i.id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`no import ${id}`);
      return {
        ...row.plan,
        applied_by: row.applied_by,
        applied_at: row.applied_at.toISOString(),
        undone_at: row.undone_at?.toISOString() ?? null,
      };
    },
  };
}

export type ImportService = ReturnType<typeof importServiceFactory>;
