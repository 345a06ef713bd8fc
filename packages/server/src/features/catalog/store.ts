/** @module SQL of the catalog: parameters, revisions and their changes, policies. */
import type { CatalogParameter, CatalogPolicy, CatalogRule } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface RevisionRow {
  revision: number;
  created_at: Date;
  created_by: string;
  summary: string;
  forced_reason: string | null;
}

export function catalogStore(db: Queryable) {
  return {
    async currentRevision(): Promise<number> {
      const { rows } = await db.query<{ r: number }>("SELECT coalesce(max(revision), 0) AS r FROM catalog_revisions");
      return rows[0]?.r ?? 0;
    },

    async parameters(): Promise<CatalogParameter[]> {
      const { rows } = await db.query<{ definition: CatalogParameter }>(
        "SELECT definition FROM catalog_parameters ORDER BY name",
      );
      return rows.map((r) => r.definition);
    },

    async parameter(
      name: string,
    ): Promise<{ definition: CatalogParameter; created_revision: number; updated_revision: number } | undefined> {
      const { rows } = await db.query<{
        definition: CatalogParameter;
        created_revision: number;
        updated_revision: number;
      }>("SELECT definition, created_revision, updated_revision FROM catalog_parameters WHERE name = $1", [name]);
      return rows[0];
    },

    async addRevision(r: {
      revision: number;
      by: string;
      summary: string;
      forcedReason: string | null;
    }): Promise<void> {
      await db.query(
        "INSERT INTO catalog_revisions (revision, created_by, summary, forced_reason) VALUES ($1, $2, $3, $4)",
        [r.revision, r.by, r.summary, r.forcedReason],
      );
    },

    async saveParameter(p: CatalogParameter, revision: number, before: CatalogParameter | undefined): Promise<void> {
      await db.query(
        `INSERT INTO catalog_parameters (name, definition, created_revision, updated_revision) VALUES ($1, $2::jsonb, $3, $3)
         ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_revision = EXCLUDED.updated_revision`,
        [p.name, JSON.stringify(p), revision],
      );
      await db.query(
        "INSERT INTO catalog_changes (revision, subject, before, after) VALUES ($1, $2, $3::jsonb, $4::jsonb)",
        [revision, `parameter:${p.name}`, before ? JSON.stringify(before) : null, JSON.stringify(p)],
      );
    },

    async rules(): Promise<CatalogRule[]> {
      const { rows } = await db.query<{ definition: CatalogRule }>(
        "SELECT definition FROM catalog_rules ORDER BY name",
      );
      return rows.map((r) => r.definition);
    },

    /** Saves (or, with `rule` undefined, removes) a rule and records the change. */
    async saveRule(
      name: string,
      rule: CatalogRule | undefined,
      revision: number,
      before: CatalogRule | undefined,
    ): Promise<void> {
      if (rule) {
        await db.query(
          `INSERT INTO catalog_rules (name, definition, created_revision, updated_revision) VALUES ($1, $2::jsonb, $3, $3)
           ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_revision = EXCLUDED.updated_revision`,
          [name, JSON.stringify(rule), revision],
        );
      } else {
        await db.query("DELETE FROM catalog_rules WHERE name = $1", [name]);
      }
      await db.query(
        "INSERT INTO catalog_changes (revision, subject, before, after) VALUES ($1, $2, $3::jsonb, $4::jsonb)",
        [revision, `rule:${name}`, before ? JSON.stringify(before) : null, rule ? JSON.stringify(rule) : null],
      );
    },

    async policies(): Promise<Record<string, CatalogPolicy>> {
      const { rows } = await db.query<{ strategy_name: string; policy: CatalogPolicy }>(
        "SELECT strategy_name, policy FROM catalog_policies ORDER BY strategy_name",
      );
      return Object.fromEntries(rows.map((r) => [r.strategy_name, r.policy]));
    },

    async savePolicy(
      strategy: string,
      policy: CatalogPolicy,
      revision: number,
      before: CatalogPolicy | null,
    ): Promise<void> {
      await db.query(
        `INSERT INTO catalog_policies (strategy_name, policy, revision) VALUES ($1, $2, $3)
         ON CONFLICT (strategy_name) DO UPDATE SET policy = EXCLUDED.policy, revision = EXCLUDED.revision`,
        [strategy, policy, revision],
      );
      await db.query(
        "INSERT INTO catalog_changes (revision, subject, before, after) VALUES ($1, $2, $3::jsonb, $4::jsonb)",
        [revision, `policy:${strategy}`, JSON.stringify(before), JSON.stringify(policy)],
      );
    },

    async revisions(): Promise<RevisionRow[]> {
      const { rows } = await db.query<RevisionRow>("SELECT * FROM catalog_revisions ORDER BY revision DESC");
      return rows;
    },

    /** Every subject's state as of `revision` (its latest change at or before it; removed ones left out). */
    async stateAt(revision: number): Promise<Map<string, unknown>> {
      const { rows } = await db.query<{ subject: string; after: unknown }>(
        `SELECT subject, after FROM (
           SELECT DISTINCT ON (subject) subject, after FROM catalog_changes
           WHERE revision <= $1 ORDER BY subject, revision DESC) latest
         WHERE after IS NOT NULL`,
        [revision],
      );
      return new Map(rows.map((r) => [r.subject, r.after]));
    },

    /** Active versions (strategy, environment, config id, data), to check a catalog change against. */
    async activeVersions(): Promise<
      { strategy_name: string; environment: string; config_id: string; config_data: Record<string, unknown> }[]
    > {
      const { rows } = await db.query<{
        strategy_name: string;
        environment: string;
        config_id: string;
        config_data: Record<string, unknown>;
      }>(
        `SELECT a.strategy_name, a.environment, v.config_id, v.config_data FROM activations a
         JOIN config_versions v ON v.id = a.config_version_id WHERE a.ended_at IS NULL ORDER BY 1, 2`,
      );
      return rows;
    },
  };
}

export type CatalogStore = ReturnType<typeof catalogStore>;
