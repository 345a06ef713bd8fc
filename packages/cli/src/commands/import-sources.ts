/**
 * @module `tradai import legacy-db`, `import baseline`, `import env`: the legacy live row and its
 * history, with the two other legacy sources of a value (the fallback file, a pod's environment).
 * legacy-db is a dry run unless --apply; the comparisons write nothing.
 */
import { resolve } from "node:path";
import { reconcileSources } from "@tradai/core";
import { Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { EXIT_PROPOSED } from "../exit-codes.js";
import { readConfigBucket, readConfigDir, readDynamoExport } from "../import/config-versions-source.js";
import {
  DEFAULT_SHAPE,
  type LegacyDbShape,
  type LegacySource,
  readLegacyDatabase,
  readLegacyExport,
} from "../import/legacy-db-source.js";
import { choicesOf, readBaseline, readPodEnv } from "../import/other-sources.js";
import { configVersionsText, disagreementsText, importPlanText } from "../output/imports.js";
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
      if (plan.outcome === "proposed") process.exitCode = EXIT_PROPOSED;
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

export function configVersionsCommand(): Command {
  return new Command("config-versions")
    .description(
      "import the legacy config registry of one environment: the DynamoDB config-versions items (ids, hashes, statuses, superseded chains kept where consistent; inconsistencies reported) and the strategies' YAML configs from S3 or a directory; a dry run unless --apply",
    )
    .option(
      "--dynamodb-export <file>",
      "the config-versions table: `aws dynamodb scan` JSON, or a table export's JSON lines",
    )
    .option("--s3 <url>", "the YAML configs: s3://tradai-configs-ENV/prefix ({prefix}{strategy}.yaml)")
    .option("--s3-endpoint <url>", "an S3-compatible endpoint (default: AWS)")
    .option("--dir <dir>", "the YAML configs in a directory ({strategy}.yaml)")
    .option("--env <environment>", "the environment they belong to (default: the server's default)")
    .addOption(
      new Option(
        "--prefer <source>",
        "where a strategy's file and its ACTIVE item differ, which becomes active (default: file, which the legacy loader served)",
      ).choices(["registry", "file"]),
    )
    .option("--apply", "import it (default: show the plans and write nothing)")
    .action(async (opts, cmd: Command) => {
      if (!opts.dynamodbExport && !opts.s3 && !opts.dir) {
        throw new UsageError(
          "give the registry (--dynamodb-export FILE), the YAML configs (--s3 URL or --dir DIR), or both",
        );
      }
      if (opts.s3 && opts.dir) throw new UsageError("give one place for the YAML configs: --s3 URL or --dir DIR");
      const items = opts.dynamodbExport ? readDynamoExport(opts.dynamodbExport) : [];
      const files = opts.s3
        ? await readConfigBucket(opts.s3, opts.s3Endpoint)
        : opts.dir
          ? readConfigDir(opts.dir)
          : [];
      // Files by their full path: the same export is the same source however it was named.
      const source = [opts.dynamodbExport && resolve(opts.dynamodbExport), opts.s3 ?? (opts.dir && resolve(opts.dir))]
        .filter(Boolean)
        .join(" + ");
      process.stderr.write(`read ${items.length} registry item(s) and ${files.length} YAML config(s) from ${source}\n`);
      const result = await apiFor(cmd).importConfigVersions({
        ...(opts.env ? { environment: opts.env } : {}),
        source,
        items: items as never,
        files,
        ...(opts.prefer ? { prefer: opts.prefer as "registry" | "file" } : {}),
        apply: opts.apply === true,
      });
      print(cmd, result, () => configVersionsText(result));
      if (result.outcome === "proposed") process.exitCode = EXIT_PROPOSED;
    });
}
