/**
 * @module Reading the legacy configuration: the live row (`ftf_config.base_env`) and its append-only
 * history (`ftf_config_history`), from a PostgreSQL URL or from a JSON export of the two tables. The
 * table and column names are options, as real installations differ; a column that is not there is
 * named, with the columns that are.
 */
import { readFileSync } from "node:fs";
import type { LegacyRow } from "@tradai/core";
import pg from "pg";
import { UsageError } from "../usage-error.js";

export interface LegacyDbShape {
  table: string;
  column: string;
  historyTable: string;
  historyColumn: string;
  authorColumn: string;
  timeColumn: string;
  commentColumn: string;
  idColumn: string;
}

export const DEFAULT_SHAPE: LegacyDbShape = {
  table: "ftf_config",
  column: "base_env",
  historyTable: "ftf_config_history",
  historyColumn: "base_env",
  authorColumn: "changed_by",
  timeColumn: "changed_at",
  commentColumn: "comment",
  idColumn: "id",
};

export interface LegacySource {
  /** where from, in words (a URL without its password, or the file) */
  source: string;
  current: LegacyRow | null;
  history: LegacyRow[];
}

type Row = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const quoted = (name: string) => {
  if (!IDENTIFIER.test(name)) throw new UsageError(`"${name}" is not a table or column name`);
  return name
    .split(".")
    .map((part) => `"${part}"`)
    .join(".");
};

function column(row: Row, name: string, where: string, required: boolean): unknown {
  if (name in row) return row[name];
  if (!required) return undefined;
  throw new UsageError(
    `${where} has no column "${name}" (it has ${Object.keys(row).join(", ")}); name it with the options`,
  );
}

function valuesOf(raw: unknown, where: string): Record<string, unknown> {
  const value = typeof raw === "string" ? parseJson(raw, where) : raw;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: the config is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: not valid JSON (${(error as Error).message})`);
  }
}

const timeOf = (raw: unknown, where: string): string | null => {
  if (raw === null || raw === undefined) return null;
  const time = raw instanceof Date ? raw : new Date(String(raw));
  if (Number.isNaN(time.getTime())) throw new UsageError(`${where}: "${String(raw)}" is not a time`);
  return time.toISOString();
};

const textOf = (raw: unknown) => (raw === null || raw === undefined ? null : String(raw));

/** The rows as the legacy tables hold them, mapped by the shape's column names. */
export function legacyRowsOf(source: string, base: Row[], history: Row[], shape: LegacyDbShape): LegacySource {
  const rows = history.map((row, i): LegacyRow => {
    const where = `${shape.historyTable} row ${i + 1}`;
    return {
      values: valuesOf(column(row, shape.historyColumn, where, true), where),
      author: textOf(column(row, shape.authorColumn, where, false)),
      time: timeOf(column(row, shape.timeColumn, where, false), where),
      comment: textOf(column(row, shape.commentColumn, where, false)),
      source_id: textOf(column(row, shape.idColumn, where, false)),
    };
  });
  if (base.length > 1) {
    throw new UsageError(`${shape.table} has ${base.length} rows: the legacy configuration is one row`);
  }
  const live = base[0];
  const current = live
    ? {
        values: valuesOf(column(live, shape.column, shape.table, true), shape.table),
        author: null,
        time: null,
        comment: null,
      }
    : null;
  return { source, current, history: rows };
}

/** `{ "<table>": [rows], "<history table>": [rows] }`, as a JSON export of the two tables. */
export function readLegacyExport(file: string, shape: LegacyDbShape): LegacySource {
  const doc = parseJson(readFileSync(file, "utf8"), file) as Record<string, unknown>;
  const table = (name: string) => {
    const rows = doc?.[name];
    if (rows === undefined) return [];
    if (!Array.isArray(rows)) throw new UsageError(`${file}: "${name}" is not a list of rows`);
    return rows as Row[];
  };
  if (!(shape.historyTable in (doc ?? {})) && !(shape.table in (doc ?? {}))) {
    throw new UsageError(
      `${file} has neither "${shape.table}" nor "${shape.historyTable}" (it has ${Object.keys(doc ?? {}).join(", ") || "nothing"})`,
    );
  }
  return legacyRowsOf(file, table(shape.table), table(shape.historyTable), shape);
}

/** The URL without its password: what the import records as its source. */
export const withoutPassword = (url: string) => {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    throw new UsageError("--legacy-url is not a URL (postgres://user:password@host:5432/database)");
  }
};

export async function readLegacyDatabase(url: string, shape: LegacyDbShape): Promise<LegacySource> {
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
    return legacyRowsOf(withoutPassword(url), base, history, shape);
  } finally {
    await client.end().catch(() => {});
  }
}
