/** @module SQL of config versions and activations. Status per environment is derived here. */
import { type ConfigVersion, canonicalJson, type JsonValue, type VersionStatus } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface VersionRow {
  id: number;
  strategy_name: string;
  version_number: number;
  config_id: string;
  config_hash: string;
  config_data: Record<string, unknown>;
  description: string | null;
  created_by: string;
  created_at: Date;
  deprecated_at: Date | null;
  purge_after: Date | null;
  catalog_revision: number | null;
  imported_from: string | null;
  legacy_author: string | null;
  legacy_time: Date | null;
  legacy_comment: string | null;
}

interface VersionViewRow extends VersionRow {
  environment: string;
  status: VersionStatus;
  deployed_at: Date | null;
  env_deprecated_at: Date | null;
  superseded_by: string | null;
}

export interface ActivationRow {
  id: number;
  config_version_id: number | null;
  config_id: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

// A version as seen from environment $2: explicit deprecation wins everywhere; otherwise its
// latest activation there says active (open) or deprecated (superseded); no activation: draft.
const VERSION_VIEW = `
  SELECT v.*, $2::text AS environment, a.activated_at AS deployed_at, a.superseded_by,
    CASE WHEN v.deprecated_at IS NOT NULL THEN 'deprecated'
         WHEN a.id IS NULL THEN 'draft'
         WHEN a.ended_at IS NULL THEN 'active'
         ELSE 'deprecated' END AS status,
    COALESCE(v.deprecated_at, a.ended_at) AS env_deprecated_at
  FROM config_versions v
  LEFT JOIN LATERAL (
    SELECT id, activated_at, ended_at, superseded_by FROM activations
    WHERE config_version_id = v.id AND environment = $2 ORDER BY id DESC LIMIT 1
  ) a ON true
  WHERE v.strategy_name = $1`;

function toVersion(row: VersionViewRow): ConfigVersion {
  return {
    strategy_name: row.strategy_name,
    config_id: row.config_id,
    config_hash: row.config_hash,
    version_number: row.version_number,
    // jsonb keeps its own key order; answer in canonical order, the form the hash was taken of.
    config_data: JSON.parse(canonicalJson(row.config_data as JsonValue)),
    description: row.description,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    environment: row.environment,
    status: row.status,
    deployed_at: iso(row.deployed_at),
    deprecated_at: iso(row.env_deprecated_at),
    superseded_by: row.superseded_by,
    explicitly_deprecated: row.deprecated_at !== null,
    purge_after: iso(row.purge_after),
    catalog_revision: row.catalog_revision,
    imported:
      row.imported_from === null
        ? null
        : {
            imported_from: row.imported_from,
            legacy_author: row.legacy_author,
            legacy_time: iso(row.legacy_time),
            legacy_comment: row.legacy_comment,
          },
  };
}

export function configStore(db: Queryable) {
  async function clockTime(): Promise<Date> {
    const { rows } = await db.query<{ at: Date }>("SELECT clock_timestamp() AS at");
    return rows[0]?.at as Date;
  }

  return {
    /** Creates the strategy row if needed, locks it until the transaction ends, and returns the lock time. */
    async lockOrCreateStrategy(name: string): Promise<Date> {
      await db.query(
        "INSERT INTO strategies (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name",
        [name],
      );
      return clockTime();
    },

    /**
     * Locks an existing strategy row and returns the time the lock was obtained (undefined when
     * there is no such strategy). Changes made under the lock carry that time rather than now(),
     * which is when the transaction began: a transaction that waited for the lock would otherwise
     * date its change before the change it waited for.
     */
    async lockStrategy(name: string): Promise<Date | undefined> {
      const { rows } = await db.query("SELECT 1 FROM strategies WHERE name = $1 FOR UPDATE", [name]);
      return rows.length === 0 ? undefined : clockTime();
    },

    async strategyExists(name: string): Promise<boolean> {
      const { rows } = await db.query("SELECT 1 FROM strategies WHERE name = $1", [name]);
      return rows.length > 0;
    },

    async findLiveByHash(strategy: string, hash: string): Promise<VersionRow | undefined> {
      const { rows } = await db.query<VersionRow>(
        "SELECT * FROM config_versions WHERE strategy_name = $1 AND config_hash = $2 AND deprecated_at IS NULL",
        [strategy, hash],
      );
      return rows[0];
    },

    async findByConfigId(strategy: string, configId: string): Promise<VersionRow | undefined> {
      const { rows } = await db.query<VersionRow>(
        "SELECT * FROM config_versions WHERE strategy_name = $1 AND config_id = $2",
        [strategy, configId],
      );
      return rows[0];
    },

    /** The next number, or a chosen one after the last (an imported id kept): numbers only go up. */
    async takeNextVersionNumber(strategy: string, chosen?: number): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `UPDATE strategies SET last_version_number = COALESCE($2::int, last_version_number + 1)
         WHERE name = $1 AND ($2::int IS NULL OR $2::int > last_version_number) RETURNING last_version_number AS n`,
        [strategy, chosen ?? null],
      );
      if (!rows[0]) throw new Error(`strategy ${strategy} has no row, or number ${chosen} is taken`);
      return rows[0].n;
    },

    async insertVersion(v: {
      strategy: string;
      versionNumber: number;
      configId: string;
      hash: string;
      data: unknown;
      description: string | undefined;
      createdBy: string;
      createdAt: Date;
      catalogRevision: number | null;
      /** a version made from a legacy row: where from, its original author, time and comment */
      legacy?: { importedFrom: string; author: string | null; time: string | null; comment: string | null };
    }): Promise<void> {
      await db.query(
        `INSERT INTO config_versions
           (strategy_name, version_number, config_id, config_hash, config_data, description, created_by, created_at,
            catalog_revision, imported_from, legacy_author, legacy_time, legacy_comment)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          v.strategy,
          v.versionNumber,
          v.configId,
          v.hash,
          JSON.stringify(v.data),
          v.description ?? null,
          v.createdBy,
          v.createdAt,
          v.catalogRevision,
          v.legacy?.importedFrom ?? null,
          v.legacy?.author ?? null,
          v.legacy?.time ?? null,
          v.legacy?.comment ?? null,
        ],
      );
    },

    async versionIn(strategy: string, configId: string, environment: string): Promise<ConfigVersion | undefined> {
      const { rows } = await db.query<VersionViewRow>(`${VERSION_VIEW} AND v.config_id = $3`, [
        strategy,
        environment,
        configId,
      ]);
      return rows[0] && toVersion(rows[0]);
    },

    async listIn(
      strategy: string,
      environment: string,
      page: { status?: VersionStatus | undefined; limit: number; offset: number },
    ): Promise<{ items: ConfigVersion[]; total: number }> {
      if (page.status === undefined) {
        // No filter: the page comes straight off the (strategy_name, version_number) index, and
        // status is derived for its rows only.
        const [items, count] = await Promise.all([
          db.query<VersionViewRow>(`${VERSION_VIEW} ORDER BY v.version_number DESC LIMIT $3 OFFSET $4`, [
            strategy,
            environment,
            page.limit,
            page.offset,
          ]),
          db.query<{ total: number }>("SELECT count(*)::int AS total FROM config_versions WHERE strategy_name = $1", [
            strategy,
          ]),
        ]);
        return { items: items.rows.map(toVersion), total: count.rows[0]?.total ?? 0 };
      }
      const filtered = `SELECT * FROM (${VERSION_VIEW}) view WHERE status = $3`;
      const [items, count] = await Promise.all([
        db.query<VersionViewRow>(`${filtered} ORDER BY version_number DESC LIMIT $4 OFFSET $5`, [
          strategy,
          environment,
          page.status,
          page.limit,
          page.offset,
        ]),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM (${filtered}) counted`, [
          strategy,
          environment,
          page.status,
        ]),
      ]);
      return { items: items.rows.map(toVersion), total: count.rows[0]?.total ?? 0 };
    },

    async openActivation(strategy: string, environment: string): Promise<ActivationRow | undefined> {
      const { rows } = await db.query<ActivationRow>(
        "SELECT id, config_version_id, config_id FROM activations WHERE strategy_name = $1 AND environment = $2 AND ended_at IS NULL",
        [strategy, environment],
      );
      return rows[0];
    },

    async openActivationsOf(versionId: number): Promise<{ id: number; environment: string }[]> {
      const { rows } = await db.query<{ id: number; environment: string }>(
        "SELECT id, environment FROM activations WHERE config_version_id = $1 AND ended_at IS NULL ORDER BY environment",
        [versionId],
      );
      return rows;
    },

    async endActivation(
      id: number,
      end: { reason: "superseded" | "deprecated"; supersededBy: string | null; by: string; at: Date },
    ): Promise<void> {
      await db.query(
        "UPDATE activations SET ended_at = $5, ended_by = $2, end_reason = $3, superseded_by = $4 WHERE id = $1",
        [id, end.by, end.reason, end.supersededBy, end.at],
      );
    },

    async insertActivation(a: {
      strategy: string;
      environment: string;
      versionId: number;
      configId: string;
      by: string;
      at: Date;
      changeRequestId?: number | null;
      freezeOverrideReason?: string | null;
    }): Promise<void> {
      await db.query(
        `INSERT INTO activations (strategy_name, environment, config_version_id, config_id, activated_by, activated_at,
           change_request_id, freeze_override_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          a.strategy,
          a.environment,
          a.versionId,
          a.configId,
          a.by,
          a.at,
          a.changeRequestId ?? null,
          a.freezeOverrideReason ?? null,
        ],
      );
    },

    async deprecateVersion(d: { id: number; by: string; reason: string | undefined; ttlDays: number; at: Date }) {
      await db.query(
        `UPDATE config_versions SET deprecated_at = $5, deprecated_by = $2, deprecation_reason = $3,
           purge_after = $5::timestamptz + make_interval(secs => $4::double precision * 86400)
         WHERE id = $1`,
        [d.id, d.by, d.reason ?? null, d.ttlDays, d.at],
      );
    },

    /** Deletes explicitly deprecated versions past their purge time that nothing references. */
    async purgeExpired(): Promise<{ strategy_name: string; config_id: string }[]> {
      const { rows } = await db.query<{ strategy_name: string; config_id: string }>(
        `DELETE FROM config_versions
         WHERE purge_after <= now() AND NOT config_version_is_referenced(id)
         RETURNING strategy_name, config_id`,
      );
      return rows;
    },

    async strategySummaries(): Promise<
      { strategy_name: string; version_count: number; latest_config_id: string; active: Record<string, string> }[]
    > {
      const { rows } = await db.query<{
        strategy_name: string;
        version_count: number;
        latest_config_id: string;
        active: Record<string, string> | null;
      }>(
        `SELECT s.name AS strategy_name,
           (SELECT count(*)::int FROM config_versions v WHERE v.strategy_name = s.name) AS version_count,
           (SELECT config_id FROM config_versions v WHERE v.strategy_name = s.name ORDER BY version_number DESC LIMIT 1) AS latest_config_id,
           (SELECT jsonb_object_agg(environment, config_id) FROM activations a
              WHERE a.strategy_name = s.name AND a.ended_at IS NULL) AS active
         FROM strategies s
         WHERE EXISTS (SELECT 1 FROM config_versions v WHERE v.strategy_name = s.name)
         ORDER BY s.name`,
      );
      return rows.map((r) => ({ ...r, active: r.active ?? {} }));
    },
  };
}

export type ConfigStore = ReturnType<typeof configStore>;
