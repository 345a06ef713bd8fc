/**
 * @module Writing a resolved config to the legacy row, as the legacy tool did: the live row's
 * column set, and a history row appended (author `tradai-mirror`, the version and change in the
 * comment), in one transaction of the legacy database. A row that already holds the config is left
 * alone, so a retry or a restart writes nothing twice.
 */
import { canonicalJson, type JsonValue, type LegacyMirrorTarget, quotedLegacyIdentifier as q } from "@tradai/core";
import pg from "pg";

export const MIRROR_AUTHOR = "tradai-mirror";

/** @returns whether the row changed (false: it held this config already) */
export async function writeLegacyRow(
  url: string,
  target: LegacyMirrorTarget,
  values: Record<string, unknown>,
  comment: string,
): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 10_000,
    query_timeout: 15_000,
    application_name: "tradai-legacy-mirror",
  });
  // A connection that breaks later must not throw from an event nobody listens to.
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ value: unknown }>(
      `SELECT ${q(target.column)} AS value FROM ${q(target.table)} FOR UPDATE`,
    );
    if (rows.length !== 1) {
      throw new Error(`${target.table} has ${rows.length} rows: the mirror writes a table of exactly one row`);
    }
    const json = canonicalJson(values as JsonValue);
    if (rows[0]?.value !== null && canonicalJson(rows[0]?.value as JsonValue) === json) {
      await client.query("COMMIT");
      return false;
    }
    await client.query(`UPDATE ${q(target.table)} SET ${q(target.column)} = $1::jsonb`, [json]);
    if (target.history_table) {
      await client.query(
        `INSERT INTO ${q(target.history_table)}
           (${q(target.history_column)}, ${q(target.author_column)}, ${q(target.time_column)}, ${q(target.comment_column)})
         VALUES ($1::jsonb, $2, now(), $3)`,
        [json, MIRROR_AUTHOR, comment],
      );
    }
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
