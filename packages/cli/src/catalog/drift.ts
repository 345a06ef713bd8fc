/**
 * @module Drift between source code and the catalog (`tradai catalog check`): which parameter
 * names the code references, which of them the catalog lacks, and which catalog entries no code
 * references.
 *
 * A reference is found line by line (a match cannot span lines). The default patterns find:
 * - subscripts of a config-like object: `config["risk.stoploss"]`, `cfg['risk']['stoploss']`
 *   (chained subscripts join into `risk.stoploss`); receivers config, conf, cfg, params,
 *   parameters, settings (also as a suffix: `runConfig[...]`, `self.params[...]`);
 * - `.get("name")` on the same receivers: `config.get("risk.stoploss")`, `self.params.get('x')`;
 * - attribute access on `params`: `params.stoploss`, `params.risk.stoploss` (not a method call:
 *   `params.get(` and `params.items()` are not references).
 * Names are lower-case dotted paths. A user pattern replaces them all and must have exactly one
 * capture group, the parameter name.
 *
 * A reference names a catalog entry when it equals its name, or extends it (`features.rsi` is a
 * read inside the json parameter `features`). A reference that is only a prefix of entries
 * (`config["risk"]` when the catalog has `risk.stoploss`) is a group read: known, but it marks no
 * entry as referenced. Deprecated entries never count as unreferenced; references to them are
 * listed apart, as a warning.
 */
import { UsageError } from "../usage-error.js";
import { type SourceFile, sourceFiles } from "./source-files.js";

export interface ReferencePattern {
  regex: RegExp;
  /** The parameter name from the first capture group (default: the group, trimmed). */
  toName?: (captured: string) => string;
}

const NAME = "[a-z][a-z0-9_.]*";
const RECEIVER = "(?:[cC]onfig|[cC]onf|[cC]fg|[pP]arams|[pP]arameters|[sS]ettings)";

export const DEFAULT_PATTERNS: readonly ReferencePattern[] = [
  {
    regex: new RegExp(`${RECEIVER}((?:\\[\\s*["']${NAME}["']\\s*\\])+)`, "g"),
    toName: (chain) => [...chain.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]).join("."),
  },
  { regex: new RegExp(`${RECEIVER}\\.get\\(\\s*["'](${NAME})["']`, "g") },
  { regex: /\bparams\.([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\b(?!\s*\()/g },
];

/** The user's pattern, refused (exit 2) unless it compiles and has exactly one capture group. */
export function userPattern(source: string): ReferencePattern {
  let regex: RegExp;
  try {
    regex = new RegExp(source, "g");
  } catch (error) {
    throw new UsageError(`--pattern is not a valid regular expression: ${(error as Error).message}`);
  }
  const groups = (new RegExp(`${source}|`).exec("")?.length ?? 1) - 1;
  if (groups !== 1) {
    throw new UsageError(
      `--pattern must have exactly one capture group, the parameter name (it has ${groups}); ` +
        "use (?:...) for other groups",
    );
  }
  return { regex };
}

export interface Reference {
  name: string;
  file: string;
  line: number;
}

/** Every reference in the files, in file then line order, each (name, file, line) once. */
export function findReferences(files: readonly SourceFile[], patterns: readonly ReferencePattern[]): Reference[] {
  const found: Reference[] = [];
  for (const file of files) {
    const lines = file.text.split(/\r?\n/);
    for (const [index, line] of lines.entries()) {
      const names = new Set<string>();
      for (const { regex, toName } of patterns) {
        for (const match of line.matchAll(regex)) {
          const captured = match[1];
          if (captured === undefined) continue;
          const name = (toName ? toName(captured) : captured).trim();
          if (name !== "") names.add(name);
        }
      }
      for (const name of [...names].sort()) found.push({ name, file: file.path, line: index + 1 });
    }
  }
  return found;
}

/** What the comparison needs of a catalog parameter. */
export interface CatalogName {
  name: string;
  deprecated: boolean;
  replacement?: string | undefined;
}

export interface DriftReport {
  /** Referenced names no catalog entry covers, each with its `file:line` locations. */
  missing: { name: string; locations: string[] }[];
  /** Non-deprecated catalog entries no reference names. */
  unreferenced: string[];
  /** Deprecated entries still referenced (a warning, not drift). */
  deprecated_referenced: { name: string; replacement: string | null; locations: string[] }[];
  files_scanned: number;
  references: number;
}

/** The entry a reference reads: its own name or its nearest ancestor in the catalog. */
function entryFor(name: string, catalog: ReadonlyMap<string, CatalogName>): CatalogName | undefined {
  const parts = name.split(".");
  for (let n = parts.length; n > 0; n--) {
    const entry = catalog.get(parts.slice(0, n).join("."));
    if (entry) return entry;
  }
  return undefined;
}

const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Compares references with the catalog entries they may name; `filesScanned` is reported as is. */
export function compareWithCatalog(
  references: readonly Reference[],
  parameters: readonly CatalogName[],
  filesScanned = 0,
): DriftReport {
  const catalog = new Map(parameters.map((p) => [p.name, p]));
  const referenced = new Set<string>();
  const missing = new Map<string, string[]>();
  const deprecated = new Map<string, string[]>();
  for (const ref of references) {
    const location = `${ref.file}:${ref.line}`;
    const entry = entryFor(ref.name, catalog);
    if (entry) {
      referenced.add(entry.name);
      if (entry.deprecated) deprecated.set(entry.name, [...(deprecated.get(entry.name) ?? []), location]);
      continue;
    }
    const groupRead = parameters.some((p) => p.name.startsWith(`${ref.name}.`));
    if (!groupRead) missing.set(ref.name, [...(missing.get(ref.name) ?? []), location]);
  }
  return {
    missing: sorted(missing).map(([name, locations]) => ({ name, locations })),
    unreferenced: parameters
      .filter((p) => !p.deprecated && !referenced.has(p.name))
      .map((p) => p.name)
      .sort(),
    deprecated_referenced: sorted(deprecated).map(([name, locations]) => ({
      name,
      replacement: catalog.get(name)?.replacement ?? null,
      locations,
    })),
    files_scanned: filesScanned,
    references: references.length,
  };
}

/** Scans `root` and compares what it references with `parameters`. */
export function checkSource(
  root: string,
  parameters: readonly CatalogName[],
  patterns: readonly ReferencePattern[] = DEFAULT_PATTERNS,
): DriftReport {
  const files = sourceFiles(root);
  return compareWithCatalog(findReferences(files, patterns), parameters, files.length);
}

export const hasDrift = (report: DriftReport) => report.missing.length > 0 || report.unreferenced.length > 0;
