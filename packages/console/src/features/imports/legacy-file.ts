/**
 * @module An uploaded JSON export of the legacy tables, read in the browser with core's
 * `legacyExportRows` (the CLI reads a file alike): the live row and the history, or a
 * `LegacyRowsError` naming the table, row and column that is wrong.
 */
import { DEFAULT_LEGACY_SHAPE, LegacyRowsError, type LegacyTables, legacyExportRows } from "@tradai/core";

export { LegacyRowsError };

/** The tables and columns an export must have, in words (the defaults the server's CLI uses too). */
export const EXPORT_SHAPE_TEXT = (() => {
  const s = DEFAULT_LEGACY_SHAPE;
  return `{"${s.table}": [{"${s.idColumn}", "${s.column}"}], "${s.historyTable}": [{"${s.idColumn}", "${s.historyColumn}", "${s.authorColumn}", "${s.timeColumn}", "${s.commentColumn}"}]}, history oldest first`;
})();

/**
 * The rows of the export; the file's name is the import's source.
 * @throws LegacyRowsError when the file is not such an export (not JSON, a table or column missing, a bad time)
 */
export async function readLegacyExport(file: File): Promise<LegacyTables> {
  const text = await file.text();
  return legacyExportRows(text, file.name, DEFAULT_LEGACY_SHAPE);
}
