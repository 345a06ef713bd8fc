/**
 * @module The source files `tradai catalog check` reads: a walk of a directory that keeps text
 * files with a known source extension, and skips dependency, VCS and build directories, symbolic
 * links, files over 1 MiB and binary files (a NUL byte in the first 8 KiB).
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";

/** Extensions scanned: code and config formats. Markdown is left out: prose names parameters without using them. */
export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([
  ".py",
  ".ts",
  ".tsx",
  ".mts",
  ".cts",
  ".js",
  ".jsx",
  ".mjs",
  ".cjs",
  ".go",
  ".rs",
  ".java",
  ".kt",
  ".scala",
  ".rb",
  ".cs",
  ".yaml",
  ".yml",
  ".json",
  ".toml",
  ".ini",
  ".cfg",
  ".sql",
]);

/** Directories never entered. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  "node_modules",
  ".git",
  "dist",
  "build",
  "target",
  "__pycache__",
  ".venv",
  "venv",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
]);

export const MAX_FILE_BYTES = 1024 * 1024;

export interface SourceFile {
  /** Relative to the scanned directory, with `/` separators. */
  path: string;
  text: string;
}

function looksBinary(absolute: string): boolean {
  const buffer = Buffer.alloc(8192);
  const fd = openSync(absolute, "r");
  try {
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).includes(0);
  } finally {
    closeSync(fd);
  }
}

/** Every scannable file under `root`, in sorted path order (so output is stable). */
export function sourceFiles(root: string): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(absolute);
        continue;
      }
      if (!entry.isFile() || !SOURCE_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
      if (statSync(absolute).size > MAX_FILE_BYTES || looksBinary(absolute)) continue;
      found.push({ path: relative(root, absolute).split(sep).join("/"), text: readFileSync(absolute, "utf8") });
    }
  };
  walk(root);
  return found;
}
