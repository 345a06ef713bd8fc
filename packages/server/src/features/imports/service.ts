/**
 * @module Imports from the legacy configuration. A dry run (the default) answers the plan and writes
 * nothing; an apply carries it out as one governed change (audit, events, approval where the
 * environment's policy asks for it); a second apply of the same rows changes nothing and says so.
 */
import type { ImportPlan, LegacyDbImportBody } from "@tradai/core";
import { type Actor, assertInScope } from "../../changes/actor.js";
import type { Change } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { NotFoundError } from "../../http/errors.js";
import type { Environments } from "../environments/environments.js";
import { legacyImportChange } from "./legacy-apply.js";
import { planLegacyImport } from "./legacy-plan.js";

export function importServiceFactory({
  db,
  changes,
  environments,
}: {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
}) {
  changes.registerCommand("import", (payload) => {
    const { body, environment } = payload as unknown as { body: LegacyDbImportBody; environment: string };
    return legacyImportChange(body, environment) as Change<unknown>;
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

    async list(): Promise<{ items: (ImportPlan & { applied_by: string; applied_at: string })[] }> {
      const { rows } = await db.query<{ plan: ImportPlan; applied_by: string; applied_at: Date }>(
        "SELECT plan, applied_by, applied_at FROM imports ORDER BY applied_at DESC LIMIT 200",
      );
      return {
        items: rows.map((r) => ({ ...r.plan, applied_by: r.applied_by, applied_at: r.applied_at.toISOString() })),
      };
    },

    async get(id: string) {
      const { rows } = await db.query<{ plan: ImportPlan; applied_by: string; applied_at: Date }>(
        "SELECT plan, applied_by, applied_at FROM imports WHERE id = $1",
        [id],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`no import ${id}`);
      return { ...row.plan, applied_by: row.applied_by, applied_at: row.applied_at.toISOString() };
    },
  };
}

export type ImportService = ReturnType<typeof importServiceFactory>;
