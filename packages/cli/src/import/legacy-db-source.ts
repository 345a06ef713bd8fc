/**
 * @module Reading the legacy configuration for `tradai import`: from a PostgreSQL URL, or from a
 * JSON export of the two tables (the mapping of rows is core's, shared with the console).
 */
import { readFileSync } from "node:fs";
import {
  DEFAULT_LEGACY_SHAPE,
  LEGACY_IDENTIFIER,
  type LegacyDbShape,
  LegacyRowsError,
  type LegacyTables,
  legacyExportRows,
  legacyRowsOf,
  quotedLegacyIdentifier,
} from "@tradai/core";
import { UsageError } from "../usage-error.js";

export { DEFAULT_LEGACY_SHAPE as DEFAULT_SHAPE, type LegacyDbShape, type LegacyTables as LegacySource };

type Row = Record<string, unknown>;

const quoted = (name: string) => {
  if (!LEGACY_IDENTIFIER.test(name)) throw new UsageError(`"${name}" is not a table or column name`);
  return quotedLegacyIdentifier(name);
};

/** Core's mapping, its refusals as usage errors (exit 2: the input is wrong, nothing was sent). */
function mapped<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LegacyRowsError) throw new UsageError(error.message);
    throw error;
  }
}

export function readLegacyExport(file: string, shape: LegacyDbShape): LegacyTables {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return mapped(() => legacyExportRows(text, file, shape));
}

/**
 * The URL without its password or query (which may carry `password=`, `sslpassword=`, keys): what
 * the import records as its source, in the audit trail and on every version and run it makes.
 */
export const withoutPassword = (url: string) => {
  try {
    const u = new URL(url);
    u.password = "";
    u.search = "";
    return u.toString();
  } catch {
    throw new UsageError("--legacy-url is not a URL (postgres://user:password@host:5432/database)");
  }
};

export async function readLegacyDatabase(url: string, shape: LegacyDbShape): Promise<LegacyTables> {
  // The PostgreSQL driver loads only for a legacy database: every other command starts without it.
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach the legacy database ${withoutPassword(url)}: ${(error as Error).message}`);
  }
  try {
    const read = async (sql: string, table: string) => {
      try {
        return (await client.query<Row>(sql)).rows;
      } catch (error) {
        throw new UsageError(`reading ${table}: ${(error as Error).message}`);
      }
    };
    const history = await read(
      `SELECT * FROM ${quoted(shape.historyTable)} ORDER BY ${quoted(shape.timeColumn)}, ${quoted(shape.idColumn)}`,
      shape.historyTable,
    );
    const base = await read(`SELECT * FROM ${quoted(shape.table)}`, shape.table);
    return mapped(() => legacyRowsOf(withoutPassword(url), base, history, shape));
  } finally {
    await client.end().catch(() => {});
  }
}
