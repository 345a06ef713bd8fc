/**
 * @module `tradai import legacy-db`: the legacy configuration (the live row and its history) becomes
 * versions of one strategy, the newest active in one environment. A dry run by default: the plan,
 * nothing written; `--apply` imports it in one governed change.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type CatalogParameter, catalogParameter, reconcileSources } from "@tradai/core";
import { Command, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { catalogDocument, renderDocument } from "../catalog/document.js";
import { apiFor, print } from "../context.js";
import { inferCatalog } from "../import/legacy-catalog.js";
import {
  DEFAULT_SHAPE,
  type LegacyDbShape,
  type LegacySource,
  readLegacyDatabase,
  readLegacyExport,
} from "../import/legacy-db-source.js";
import { choicesOf, readBaseline, readPodEnv } from "../import/other-sources.js";
import { PythonLiteralError, pythonAssignment } from "../import/python-literal.js";
import { disagreementsText, importPlanText, importsTable } from "../output/imports.js";
import { UsageError } from "../usage-error.js";

/** Where the legacy tables are read from, and their names. */
function withLegacySource(command: Command): Command {
  return command
    .option("--legacy-url <url>", "read from this PostgreSQL database (postgres://user:password@host/db)")
    .option("--file <file>", 'read a JSON export: {"<table>": [rows], "<history table>": [rows]}')
    .option("--table <name>", "the table of the live row", DEFAULT_SHAPE.table)
    .option("--column <name>", "its JSONB column", DEFAULT_SHAPE.column)
    .option("--history-table <name>", "the append-only history table", DEFAULT_SHAPE.historyTable)
    .option("--history-column <name>", "its JSONB column", DEFAULT_SHAPE.historyColumn)
    .option("--author-column <name>", "who made each change", DEFAULT_SHAPE.authorColumn)
    .option("--time-column <name>", "when (the history is read in this order)", DEFAULT_SHAPE.timeColumn)
    .option("--comment-column <name>", "why", DEFAULT_SHAPE.commentColumn)
    .option("--id-column <name>", "the row's id (the order among rows of one time)", DEFAULT_SHAPE.idColumn);
}

/** The fallback file and a pod's environment, compared with the live row key by key. */
function withOtherSources(command: Command): Command {
  return command
    .option("--baseline <file>", "the fallback file (config/ftf_baseline.json)")
    .option("--pod-env <file>", "a pod's environment: a .env file or a NAME=value dump")
    .option("--env-prefix <prefix>", "the strategy's variables: PREFIX_RISK__STOPLOSS is risk.stoploss", "FTF_")
    .addOption(
      new Option("--prefer <source>", "where they disagree, take this (default: what the old rules served)").choices([
        "db",
        "file",
        "env",
      ]),
    )
    .option(
      "--choose <key=source>",
      "for one key, take this source (repeat for more)",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    );
}

async function readLegacy(opts: Record<string, string | undefined>): Promise<LegacySource> {
  if (Boolean(opts.legacyUrl) === Boolean(opts.file)) {
    throw new UsageError("give exactly one source: --legacy-url URL or --file FILE");
  }
  // (every name has a default: commander fills them in)
  const name = (key: keyof LegacyDbShape) => opts[key] ?? DEFAULT_SHAPE[key];
  const shape: LegacyDbShape = {
    table: name("table"),
    column: name("column"),
    historyTable: name("historyTable"),
    historyColumn: name("historyColumn"),
    authorColumn: name("authorColumn"),
    timeColumn: name("timeColumn"),
    commentColumn: name("commentColumn"),
    idColumn: name("idColumn"),
  };
  const read = opts.file
    ? readLegacyExport(opts.file, shape)
    : await readLegacyDatabase(opts.legacyUrl as string, shape);
  process.stderr.write(
    `read ${read.history.length} history row(s)${read.current ? " and the live row" : ""} from ${read.source}\n`,
  );
  return read;
}

function otherSources(opts: Record<string, unknown>) {
  return {
    ...(opts.baseline ? { baseline: readBaseline(opts.baseline as string) } : {}),
    ...(opts.podEnv ? { pod_env: readPodEnv(opts.podEnv as string, opts.envPrefix as string) } : {}),
    ...(opts.prefer ? { prefer: opts.prefer as "db" | "file" | "env" } : {}),
    choices: choicesOf(opts.choose as string[]),
  };
}

function legacyDbCommand(): Command {
  const command = new Command("legacy-db")
    .description(
      "import the legacy base row and its history (ftf_config, ftf_config_history) as versions of one strategy, the newest active in one environment; a dry run unless --apply",
    )
    .requiredOption("--strategy <name>", "the strategy the legacy configuration becomes, e.g. FTF")
    .option("--env <environment>", "where the newest row becomes active (default: the server's default)");
  return withOtherSources(withLegacySource(command))
    .option("--apply", "import it (default: show the plan and write nothing)")
    .action(async (opts, cmd: Command) => {
      const read = await readLegacy(opts);
      const plan = await apiFor(cmd).importLegacyDb({
        strategy: opts.strategy,
        ...(opts.env ? { environment: opts.env } : {}),
        source: read.source,
        history: read.history,
        current: read.current,
        ...otherSources(opts),
        apply: opts.apply === true,
      });
      print(cmd, plan, () => importPlanText(plan));
    });
}

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

function catalogImportCommand(): Command {
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
function variantsImportCommand(): Command {
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

/** `import baseline FILE` / `import env FILE`: the report alone, before any import (writes nothing). */
function compareCommand(name: "baseline" | "env"): Command {
  const command = new Command(name)
    .description(
      name === "baseline"
        ? "compare the fallback file (config/ftf_baseline.json) with the live row key by key: what each holds, what the old rules served; writes nothing"
        : "compare a pod's environment (.env or NAME=value dump) with the live row key by key: what each holds, what the old rules served; writes nothing",
    )
    .argument("<FILE>", name === "baseline" ? "the baseline JSON file" : "the environment dump");
  return withOtherSources(withLegacySource(command)).action(async (file: string, opts, cmd: Command) => {
    const read = await readLegacy(opts);
    const given = name === "baseline" ? { ...opts, baseline: file } : { ...opts, podEnv: file };
    const others = otherSources(given);
    const { disagreements } = reconcileSources({
      db: read.current?.values ?? {},
      file: others.baseline,
      env: others.pod_env,
      prefer: others.prefer,
      choices: others.choices,
    });
    print(cmd, { disagreements }, () => disagreementsText(disagreements));
  });
}

export function importCommand(): Command {
  return new Command("import")
    .description("move in from the legacy configuration: plan (a dry run) or apply")
    .addCommand(legacyDbCommand())
    .addCommand(compareCommand("baseline"))
    .addCommand(compareCommand("env"))
    .addCommand(catalogImportCommand())
    .addCommand(variantsImportCommand())
    .addCommand(
      new Command("list").description("the imports applied, newest first").action(async (_opts, cmd: Command) => {
        const { items } = await apiFor(cmd).listImports();
        print(cmd, { items }, () => importsTable(items));
      }),
    )
    .addCommand(
      new Command("undo")
        .description(
          "undo an import through history: the version active before it is active again, the versions it made are deprecated",
        )
        .argument("<IMPORT_ID>")
        .action(async (id: string, _opts, cmd: Command) => {
          const undone = await apiFor(cmd).undoImport(id);
          print(
            cmd,
            undone,
            () =>
              `undid import ${id}: ${undone.reactivated ?? "nothing"} active again for ${undone.strategy} in ${undone.environment}; ${undone.deprecated.length} version(s) it made deprecated`,
          );
        }),
    )
    .addCommand(
      new Command("show")
        .description("one import: every legacy row and the version it became, and the choices made")
        .argument("<IMPORT_ID>")
        .action(async (id: string, _opts, cmd: Command) => {
          const found = await apiFor(cmd).getImport(id);
          print(cmd, found, () => `applied by ${found.applied_by} at ${found.applied_at}\n${importPlanText(found)}`);
        }),
    );
}
