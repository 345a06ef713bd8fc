/**
 * @module `tradai import legacy-db`, `import baseline`, `import env`: the legacy live row and its
 * history, with the two other legacy sources of a value (the fallback file, a pod's environment).
 * legacy-db is a dry run unless --apply; the comparisons write nothing.
 */
import { reconcileSources } from "@tradai/core";
import { Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import {
  DEFAULT_SHAPE,
  type LegacyDbShape,
  type LegacySource,
  readLegacyDatabase,
  readLegacyExport,
} from "../import/legacy-db-source.js";
import { choicesOf, readBaseline, readPodEnv } from "../import/other-sources.js";
import { disagreementsText, importPlanText } from "../output/imports.js";
import { UsageError } from "../usage-error.js";

/** Where the legacy tables are read from, and their names. */
export function withLegacySource(command: Command): Command {
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

export async function readLegacy(opts: Record<string, string | undefined>): Promise<LegacySource> {
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

export function legacyDbCommand(): Command {
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

/** `import baseline FILE` / `import env FILE`: the report alone, before any import (writes nothing). */
export function compareCommand(name: "baseline" | "env"): Command {
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
