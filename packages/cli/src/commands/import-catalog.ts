/**
 * @module `tradai import catalog` and `tradai import variants`: the legacy catalog (the Streamlit
 * tool's PARAM_OPTIONS / PARAM_DESCRIPTIONS) and the FTF ablation factors' variants, as catalog
 * files to review; `tradai catalog import` writes them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type CatalogParameter, catalogParameter } from "@tradai/core";
import { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { catalogDocument, renderDocument } from "../catalog/document.js";
import { apiFor } from "../context.js";
import { inferCatalog } from "../import/legacy-catalog.js";
import { PythonLiteralError, pythonAssignment } from "../import/python-literal.js";
import { UsageError } from "../usage-error.js";
import { readLegacy, withLegacySource } from "./import-sources.js";

/** Reads `PARAM_OPTIONS` and `PARAM_DESCRIPTIONS` from the Streamlit source (never run) or a JSON/YAML export. */
function readLegacyCatalog(file: string): { options: unknown; descriptions: unknown } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (file.endsWith(".py")) {
    try {
      const options = pythonAssignment(text, "PARAM_OPTIONS");
      const descriptions = /^PARAM_DESCRIPTIONS\s*[:=]/m.test(text) ? pythonAssignment(text, "PARAM_DESCRIPTIONS") : {};
      return { options, descriptions };
    } catch (error) {
      if (error instanceof PythonLiteralError) throw new UsageError(`${file}: ${error.message}`);
      throw error;
    }
  }
  let doc: unknown;
  try {
    doc = parseYaml(text); // JSON is YAML too
  } catch (error) {
    throw new UsageError(`${file}: not JSON or YAML (${(error as Error).message})`);
  }
  const { PARAM_OPTIONS, PARAM_DESCRIPTIONS } = (doc ?? {}) as Record<string, unknown>;
  if (PARAM_OPTIONS === undefined) throw new UsageError(`${file} has no PARAM_OPTIONS`);
  return { options: PARAM_OPTIONS, descriptions: PARAM_DESCRIPTIONS ?? {} };
}

export function catalogImportCommand(): Command {
  const command = new Command("catalog")
    .description(
      "infer catalog parameters from the legacy PARAM_OPTIONS / PARAM_DESCRIPTIONS (the Streamlit source, read without running it, or a JSON/YAML export) into a catalog file to review; `tradai catalog import FILE` then writes it",
    )
    .argument("<SOURCE>", "the Streamlit .py file, or a .json/.yaml with PARAM_OPTIONS and PARAM_DESCRIPTIONS")
    .option("--strategy <name>", "the strategy the parameters apply to (default: every strategy)")
    .option("--out <file>", "write the catalog file here (default: standard output)");
  return withLegacySource(command).action(async (source: string, opts) => {
    const legacy = readLegacyCatalog(source);
    // The live row's values become defaults, when the legacy tables are given.
    const current = opts.legacyUrl || opts.file ? (await readLegacy(opts)).current?.values : undefined;
    let inferred: ReturnType<typeof inferCatalog>;
    try {
      inferred = inferCatalog({ ...legacy, strategy: opts.strategy, current });
    } catch (error) {
      throw new UsageError(`${source}: ${(error as Error).message}`);
    }
    const document = catalogDocument({ parameters: inferred.parameters, rules: [], policies: {} });
    const header = [
      `# Inferred from ${source} by tradai import catalog: review, complete, then`,
      `#   tradai catalog import ${opts.out ?? "FILE"} --dry-run`,
      ...inferred.notes.map((n) => `# - ${n}`),
    ].join("\n");
    const text = `${header}\n${renderDocument(document, "yaml")}`;
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
    process.stderr.write(
      `${inferred.parameters.length} parameter(s) inferred${opts.out ? ` into ${opts.out}` : ""}; ${inferred.notes.length} thing(s) to review:\n${inferred.notes.map((n) => `  - ${n}`).join("\n")}\n`,
    );
  });
}

/**
 * `import variants FILE`: the ablation factors' variants (`{factor: [variants]}`, or `factors: [{name,
 * variants}]`, JSON or YAML) onto the catalog's parameters of those names, as a catalog file to review
 * and write with `tradai catalog import`. Each variant is checked against its parameter (type, bounds,
 * allowed values); a factor the catalog does not have, or a variant it refuses, is said and left out.
 */
export function variantsImportCommand(): Command {
  return new Command("variants")
    .description(
      "put the FTF ablation factors' variants (JSON/YAML) on the catalog's parameters, as a catalog file to review; `tradai catalog import FILE` writes it",
    )
    .argument("<FILE>", '{"rsi_period": [7, 14, 21], ...} or {"factors": [{"name": ..., "variants": [...]}]}')
    .option("--out <file>", "write the catalog file here (default: standard output)")
    .action(async (file: string, opts: { out?: string }, cmd: Command) => {
      let doc: unknown;
      try {
        doc = parseYaml(readFileSync(file, "utf8"));
      } catch (error) {
        throw new UsageError(`${file}: not readable JSON or YAML (${(error as Error).message})`);
      }
      const factors = variantFactors(doc, file);
      const listing = await apiFor(cmd).listCatalog();
      const known = new Map(listing.items.map((i) => [i.parameter.name, i.parameter]));
      const notes: string[] = [];
      const parameters: CatalogParameter[] = [];
      for (const [raw, variants] of factors) {
        const name = raw.trim().toLowerCase();
        const parameter = known.get(name);
        if (!parameter) {
          notes.push(`${raw}: no catalog parameter of that name: left out`);
          continue;
        }
        const parsed = catalogParameter.safeParse({ ...parameter, variants });
        if (!parsed.success) {
          const why = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
          notes.push(`${raw}: left out, the catalog refuses its variants (${why})`);
          continue;
        }
        parameters.push(parsed.data);
      }
      const header = [
        `# Variants from ${file} by tradai import variants: review, then`,
        `#   tradai catalog import ${opts.out ?? "FILE"} --dry-run`,
        ...notes.map((n) => `# - ${n}`),
      ].join("\n");
      const text = `${header}\n${renderDocument(catalogDocument({ parameters, rules: [], policies: {} }), "yaml")}`;
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
      process.stderr.write(
        `${parameters.length} parameter(s) with variants${opts.out ? ` in ${opts.out}` : ""}${notes.length > 0 ? `; ${notes.length} left out:\n${notes.map((n) => `  - ${n}`).join("\n")}` : ""}\n`,
      );
    });
}

/** The factors of a variants file, by name. */
function variantFactors(doc: unknown, file: string): [string, unknown[]][] {
  const fail = (why: string): never => {
    throw new UsageError(`${file}: ${why}`);
  };
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return fail("not an object of factors");
  const listed = (doc as { factors?: unknown }).factors;
  const entries: [string, unknown][] = Array.isArray(listed)
    ? listed.map((f, i) => {
        const { name, variants } = (f ?? {}) as { name?: unknown; variants?: unknown };
        if (typeof name !== "string") fail(`factors[${i}].name: a factor needs a name`);
        return [name as string, variants];
      })
    : Object.entries(doc);
  return entries.map(([name, variants]) => {
    if (!Array.isArray(variants) || variants.length === 0) fail(`${name}: variants must be a non-empty list`);
    return [name, variants as unknown[]];
  });
}
