/**
 * @module `tradai import`: moving in from the legacy configuration. legacy-db, baseline and env
 * (import-sources.ts); catalog and variants (import-catalog.ts); the imports made: list, show, undo.
 */
import { Command } from "commander";
import { apiFor, print } from "../context.js";
import { importPlanText, importsTable } from "../output/imports.js";
import { catalogImportCommand, variantsImportCommand } from "./import-catalog.js";
import { mirrorCommand } from "./import-mirror.js";
import { runsImportCommand } from "./import-runs.js";
import { compareCommand, configVersionsCommand, legacyDbCommand } from "./import-sources.js";

export function importCommand(): Command {
  return new Command("import")
    .description("move in from the legacy configuration: plan (a dry run) or apply")
    .addCommand(legacyDbCommand())
    .addCommand(compareCommand("baseline"))
    .addCommand(compareCommand("env"))
    .addCommand(configVersionsCommand())
    .addCommand(catalogImportCommand())
    .addCommand(variantsImportCommand())
    .addCommand(runsImportCommand())
    .addCommand(mirrorCommand())
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
