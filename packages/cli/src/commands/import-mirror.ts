/**
 * @module `tradai import mirror`: the legacy mirror of the cut-over. `set` turns one strategy's
 * mirror in an environment on (its resolved config written back to the legacy row after each
 * change) or off; `list` shows each with its lag and last error.
 */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { mirrorsTable } from "../output/legacy-mirrors.js";

export function mirrorCommand(): Command {
  return new Command("mirror")
    .description(
      "the legacy mirror for the cut-over: keep the legacy row (ftf_config.base_env) in step with the resolved config, per environment",
    )
    .addCommand(
      new Command("list")
        .description("each legacy mirror: what it writes, how far behind it is, its last error")
        .option("--env <environment>", "only this environment")
        .action(async (opts, cmd: Command) => {
          const { items } = await apiFor(cmd).listLegacyMirrors(opts.env);
          print(cmd, { items }, () => mirrorsTable(items));
        }),
    )
    .addCommand(
      new Command("set")
        .description(
          "turn the legacy mirror of a strategy in an environment on (the default) or off (--off); the server's TRADAI_LEGACY_MIRROR_URL[_ENV] says which database",
        )
        .requiredOption("--env <environment>", "the environment whose resolved config the legacy row follows")
        .requiredOption("--strategy <name>", "the strategy, e.g. FTF")
        .option("--off", "stop writing (its progress is kept)")
        .option("--table <name>", "the live row's table", "ftf_config")
        .option("--column <name>", "its JSONB column", "base_env")
        .option("--history-table <name>", "append a history row here on each write", "ftf_config_history")
        .option("--no-history", "append no history row")
        .option("--history-column <name>", "the history's JSONB column", "base_env")
        .option("--author-column <name>", "who made the change", "changed_by")
        .option("--time-column <name>", "when", "changed_at")
        .option("--comment-column <name>", "why", "comment")
        .action(async (opts, cmd: Command) => {
          const mirror = await apiFor(cmd).setLegacyMirror(opts.env, {
            strategy: opts.strategy,
            enabled: opts.off !== true,
            target: {
              table: opts.table,
              column: opts.column,
              history_table: opts.history === false ? null : opts.historyTable,
              history_column: opts.historyColumn,
              author_column: opts.authorColumn,
              time_column: opts.timeColumn,
              comment_column: opts.commentColumn,
            },
          });
          print(cmd, mirror, () =>
            mirror.enabled
              ? `the legacy mirror of ${mirror.strategy} in ${mirror.environment} is on: ${mirror.target.table}.${mirror.target.column} follows each change (tradai import mirror list shows its lag)`
              : `the legacy mirror of ${mirror.strategy} in ${mirror.environment} is off`,
          );
        }),
    );
}
