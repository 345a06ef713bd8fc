/**
 * @module A launcher on its own (no HTTP server): `tradai launcher`. Several of them, on several
 * machines, share the run queue of one PostgreSQL database; workers report to TRADAI_URL.
 */
import pino from "pino";
import { guardWrites } from "./changes/write-guard.js";
import { migrate } from "./db/migrate.js";
import type { Launcher } from "./features/runs/launcher/local-launcher.js";
import { launcherFor, runRuntime } from "./features/runs/runtime.js";
import { launcherDatabase, openDatabase } from "./platform.js";
import type { Settings } from "./settings.js";

export async function startLauncherProcess(
  settings: Settings,
  serverUrl: string,
): Promise<{ launcher: Launcher; close(): Promise<void> }> {
  const db = await openDatabase(settings);
  await migrate(db, undefined, settings.databaseTimeouts.migrationSeconds * 1000);
  const log = pino({ level: settings.logLevel });
  const launcher = launcherFor(settings, launcherDatabase(guardWrites(db)), runRuntime(settings), serverUrl, log);
  return {
    launcher,
    async close() {
      await launcher.stop();
      await db.close();
    },
  };
}
