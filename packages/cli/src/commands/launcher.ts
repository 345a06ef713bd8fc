/** @module `tradai launcher`: a launcher without an HTTP server, sharing the run queue of one database. */
import { Command } from "commander";
import type { GlobalOptions } from "../context.js";
import { loadServer, settingsOrExit } from "./settings-or-exit.js";

export function launcherCommand(): Command {
  return new Command("launcher")
    .description("run queued runs on this machine (settings from TRADAI_*; workers report to --url)")
    .action(async (_opts, command: Command) => {
      const settings = await settingsOrExit("launcher");
      const { startLauncherProcess } = await loadServer();
      const { url } = command.optsWithGlobals<GlobalOptions>();
      const started = await startLauncherProcess(settings, url).catch((error) => {
        process.stderr.write(`tradai launcher: cannot start: ${(error as Error).message}\n`);
        process.exit(1);
      });
      const stop = async () => {
        await started.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      // Announced once the handlers are in: a signal without one kills at once.
      process.stdout.write(`TradAI launcher ${started.launcher.id} running (concurrency ${settings.runConcurrency})\n`);
    });
}
