/** @module `tradai catalog check`: drift between source code and the catalog, for CI (exit 1 on drift). */
import { statSync } from "node:fs";
import { Command } from "commander";
import { checkSource, DEFAULT_PATTERNS, type DriftReport, hasDrift, userPattern } from "../catalog/drift.js";
import { MAX_FILE_BYTES, SKIPPED_DIRECTORIES, SOURCE_EXTENSIONS } from "../catalog/source-files.js";
import { apiFor, wantsJson } from "../context.js";
import { UsageError } from "../usage-error.js";

function mustBeDirectory(path: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`--source ${path} does not exist`);
  }
  if (!isDirectory) throw new UsageError(`--source ${path} is not a directory`);
}

function reportText(report: DriftReport, scope: string, revision: number): string {
  const lines: string[] = [];
  lines.push(`Referenced but missing from the catalog${scope} (${report.missing.length}):`);
  for (const { name, locations } of report.missing) {
    lines.push(`  ${name}`);
    for (const location of locations) lines.push(`    ${location}`);
  }
  lines.push(`Catalog parameters${scope} never referenced (${report.unreferenced.length}):`);
  for (const name of report.unreferenced) lines.push(`  ${name}`);
  if (report.deprecated_referenced.length > 0) {
    lines.push(`Warning: deprecated parameters still referenced (${report.deprecated_referenced.length}):`);
    for (const { name, replacement, locations } of report.deprecated_referenced) {
      lines.push(`  ${name}${replacement ? ` (use ${replacement})` : ""}`);
      for (const location of locations) lines.push(`    ${location}`);
    }
  }
  const verdict = hasDrift(report) ? "drift found" : "no drift";
  lines.push(
    `${report.files_scanned} file(s) scanned, ${report.references} reference(s), catalog revision ${revision}: ${verdict}`,
  );
  return lines.join("\n");
}

const HELP = `
Scans files with these extensions (not Markdown):
  ${[...SOURCE_EXTENSIONS].join(" ")}
skipping these directories: ${[...SKIPPED_DIRECTORIES].join(" ")}
and symbolic links, binary files and files over ${MAX_FILE_BYTES / 1024 / 1024} MiB.
References are found line by line. The default patterns:
${DEFAULT_PATTERNS.map((p) => `  ${p.regex.source}`).join("\n")}
i.e. config["a.b"], cfg['a']['b'], settings.get("a.b"), params.a.b (receivers config, conf, cfg,
params, parameters, settings). --pattern replaces them; its one capture group is the name.
A reference inside a parameter (features.rsi of the json parameter features) counts for it.
Deprecated parameters are never "unreferenced"; references to them are a warning.
Exit codes: 0 no drift, 1 drift (or a server error), 2 usage error.`;

export function catalogCheckCommand(): Command {
  return new Command("check")
    .description("list parameters the source references but the catalog lacks, and catalog entries never referenced")
    .requiredOption("--source <dir>", "directory to scan")
    .option("--pattern <regex>", "regular expression with one capture group: the parameter name")
    .option("--strategy <name>", "compare with the parameters that apply to this strategy only")
    .addHelpText("after", HELP)
    .action(async (opts: { source: string; pattern?: string; strategy?: string }, command: Command) => {
      const patterns = opts.pattern === undefined ? DEFAULT_PATTERNS : [userPattern(opts.pattern)];
      mustBeDirectory(opts.source);
      const listing = await apiFor(command).listCatalog({ strategy: opts.strategy });
      const report = checkSource(
        opts.source,
        listing.items.map((i) => i.parameter),
        patterns,
      );
      if (wantsJson(command)) {
        const json = { revision: listing.revision, strategy: opts.strategy ?? null, ...report };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        const scope = opts.strategy ? ` for ${opts.strategy}` : "";
        process.stdout.write(`${reportText(report, scope, listing.revision)}\n`);
      }
      if (hasDrift(report)) process.exitCode = 1;
    });
}
