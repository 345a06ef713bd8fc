/**
 * @module `tradai import legacy-db`: the legacy configuration (the live row and its history) becomes
 * versions of one strategy, the newest active in one environment. A dry run by default: the plan,
 * nothing written; `--apply` imports it in one governed change.
 */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import {
  DEFAULT_SHAPE,
  type LegacyDbShape,
  type LegacySource,
  readLegacyDatabase,
  readLegacyExport,
} from "../import/legacy-db-source.js";
import { importPlanText } from "../output/imports.js";
import { UsageError } from "../usage-error.js";

function legacyDbCommand(): Command {
  return new Command("legacy-db")
    .description(
      "import the legacy base row and its history (ftf_config, ftf_config_history) as versions of one strategy, the newest active in one environment; a dry run unless --apply",
    )
    .requiredOption("--strategy <name>", "the strategy the legacy configuration becomes, e.g. FTF")
    .option("--env <environment>", "where the newest row becomes active (default: the server's default)")
    .option("--legacy-url <url>", "read from this PostgreSQL database (postgres://user:password@host/db)")
    .option("--file <file>", 'read a JSON export: {"<table>": [rows], "<history table>": [rows]}')
    .option("--table <name>", "the table of the live row", DEFAULT_SHAPE.table)
    .option("--column <name>", "its JSONB column", DEFAULT_SHAPE.column)
    .option("--history-table <name>", "the append-only history table", DEFAULT_SHAPE.historyTable)
    .option("--history-column <name>", "its JSONB column", DEFAULT_SHAPE.historyColumn)
    .option("--author-column <name>", "who made each change", DEFAULT_SHAPE.authorColumn)
    .option("--time-column <name>", "when (the history is read in this order)", DEFAULT_SHAPE.timeColumn)
    .option("--comment-column <name>", "why", DEFAULT_SHAPE.commentColumn)
    .option("--id-column <name>", "the row's id (the order among rows of one time)", DEFAULT_SHAPE.idColumn)
    .option("--apply", "import it (default: show the plan and write nothing)")
    .action(async (opts, command: Command) => {
      if (Boolean(opts.legacyUrl) === Boolean(opts.file)) {
        throw new UsageError("give exactly one source: --legacy-url URL or --file FILE");
      }
      const shape: LegacyDbShape = {
        table: opts.table,
        column: opts.column,
        historyTable: opts.historyTable,
        historyColumn: opts.historyColumn,
        authorColumn: opts.authorColumn,
        timeColumn: opts.timeColumn,
        commentColumn: opts.commentColumn,
        idColumn: opts.idColumn,
      };
      const read: LegacySource = opts.file
        ? readLegacyExport(opts.file, shape)
        : await readLegacyDatabase(opts.legacyUrl, shape);
      process.stderr.write(
        `read ${read.history.length} history row(s)${read.current ? " and the live row" : ""} from ${read.source}\n`,
      );
      const plan = await apiFor(command).importLegacyDb({
        strategy: opts.strategy,
        ...(opts.env ? { environment: opts.env } : {}),
        source: read.source,
        history: read.history,
        current: read.current,
        apply: opts.apply === true,
      });
      print(command, plan, () => importPlanText(plan));
    });
}

export function importCommand(): Command {
  return new Command("import")
    .description("move in from the legacy configuration: plan (a dry run) or apply")
    .addCommand(legacyDbCommand());
}
