/** @module `tradai serve`: starts the platform with settings from TRADAI_* variables. */
import { resolve } from "node:path";
import { Command } from "commander";
import { loadServer, settingsOrExit } from "./settings-or-exit.js";

export function serveCommand(): Command {
  return new Command("serve")
    .description("start the platform server (settings from TRADAI_* environment variables)")
    .action(async () => {
      const settings = await settingsOrExit("serve");
      const { startPlatform, usesPrettyLogs } = await loadServer();
      let platform: Awaited<ReturnType<typeof startPlatform>>;
      try {
        platform = await startPlatform(settings);
      } catch (error) {
        // Port in use, data directory locked, database unreachable, a failed migration: say which.
        const code = (error as NodeJS.ErrnoException).code;
        process.stderr.write(`tradai serve: cannot start: ${(error as Error).message}${code ? ` (${code})` : ""}\n`);
        process.exit(1);
      }
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        platform.app.log.info({ signal }, "shutting down");
        // Kubernetes kills the pod at the end of its grace period: leave before, saying why.
        const grace = setTimeout(() => {
          process.stderr.write(
            `tradai serve: shutdown did not finish within ${settings.shutdownGraceSeconds} s (TRADAI_SHUTDOWN_GRACE_SECONDS); exiting\n`,
          );
          process.exit(1);
        }, settings.shutdownGraceSeconds * 1000);
        grace.unref();
        try {
          await platform.close();
        } catch (error) {
          process.stderr.write(`tradai serve: shutdown failed: ${(error as Error).message}\n`);
          process.exit(1);
        }
        process.exit(0);
      };
      // Before the announcement: whoever reads it may signal at once, and a signal without a handler kills.
      process.on("SIGINT", () => void shutdown("SIGINT"));
      process.on("SIGTERM", () => void shutdown("SIGTERM"));
      const store = settings.databaseUrl
        ? `PostgreSQL at ${new URL(settings.databaseUrl).host}${new URL(settings.databaseUrl).pathname}`
        : `embedded PGlite in ${resolve(settings.dataDir)}`;
      const listening = `TradAI platform listening on ${platform.url} (${store})`;
      const docs = `${platform.url}/api/v1/docs`;
      if (usesPrettyLogs(settings.logFormat)) process.stdout.write(`${listening}\nAPI docs: ${docs}\n`);
      // JSON logs: every stdout line is JSON; this one whatever the level (scripts wait for it).
      else
        process.stdout.write(
          `${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg: listening, url: platform.url, store, docs })}\n`,
        );
    });
}
