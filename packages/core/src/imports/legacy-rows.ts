/**
 * @module The legacy tables' rows as import rows: the live row (`ftf_config.base_env`) and its
 * append-only history (`ftf_config_history`), mapped by column names (options, as installations
 * differ). Pure, so the CLI (a database or a file) and the console (an uploaded export) read alike.
 */
import type { LegacyRow } from "./schemas.js";

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

/** A table or column of the legacy database: a plain SQL name, or schema.name. */
export const LEGACY_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** The name double-quoted for SQL (checked against LEGACY_IDENTIFIER first, never interpolated raw). */
export function quotedLegacyIdentifier(name: string): string {
  if (!LEGACY_IDENTIFIER.test(name)) throw new LegacyRowsError(`"${name}" is not a table or column name`);
  return name
    .split(".")
    .map((part) => `"${part}"`)
    .join(".");
}

export const DEFAULT_LEGACY_SHAPE: LegacyDbShape = {
  table: "ftf_config",
  column: "base_env",
  historyTable: "ftf_config_history",
  historyColumn: "base_env",
  authorColumn: "changed_by",
  timeColumn: "changed_at",
  commentColumn: "comment",
  idColumn: "id",
};

export interface LegacyTables {
  /** where from, in words (a URL without its password, or the file) */
  source: string;
  current: LegacyRow | null;
  history: LegacyRow[];
}

/** A row or column the legacy tables do not have, or a value that is not what it should be. */
export class LegacyRowsError extends Error {
  override name = "LegacyRowsError";
}

type Row = Record<string, unknown>;

function column(row: Row, name: string, where: string, required: boolean): unknown {
  if (name in row) return row[name];
  if (!required) return undefined;
  throw new LegacyRowsError(
    `${where} has no column "${name}" (it has ${Object.keys(row).join(", ")}); name it with the options`,
  );
}

export function parseLegacyJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LegacyRowsError(`${where}: not valid JSON (${(error as Error).message})`);
  }
}

function valuesOf(raw: unknown, where: string): Record<string, unknown> {
  const value = typeof raw === "string" ? parseLegacyJson(raw, where) : raw;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LegacyRowsError(`${where}: the config is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

const timeOf = (raw: unknown, where: string): string | null => {
  if (raw === null || raw === undefined) return null;
  const time = raw instanceof Date ? raw : new Date(String(raw));
  if (Number.isNaN(time.getTime())) throw new LegacyRowsError(`${where}: "${String(raw)}" is not a time`);
  return time.toISOString();
};

const textOf = (raw: unknown) => (raw === null || raw === undefined ? null : String(raw));

/** The rows as the legacy tables hold them, mapped by the shape's column names. */
export function legacyRowsOf(source: string, base: Row[], history: Row[], shape: LegacyDbShape): LegacyTables {
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
    throw new LegacyRowsError(`${shape.table} has ${base.length} rows: the legacy configuration is one row`);
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

/** A JSON export of the two tables, `{ "<table>": [rows], "<history table>": [rows] }`, as import rows. */
export function legacyExportRows(text: string, source: string, shape: LegacyDbShape): LegacyTables {
  const doc = parseLegacyJson(text, source);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new LegacyRowsError(`${source}: not an object of tables`);
  }
  const tables = doc as Record<string, unknown>;
  if (!(shape.historyTable in tables) && !(shape.table in tables)) {
    throw new LegacyRowsError(
      `${source} has neither "${shape.table}" nor "${shape.historyTable}" (it has ${Object.keys(tables).join(", ") || "nothing"})`,
    );
  }
  const table = (name: string) => {
    const rows = tables[name];
    if (rows === undefined) return [];
    if (!Array.isArray(rows)) throw new LegacyRowsError(`${source}: "${name}" is not a list of rows`);
    return rows as Row[];
  };
  return legacyRowsOf(source, table(shape.table), table(shape.historyTable), shape);
}
