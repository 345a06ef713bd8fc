/**
 * @module The server's code for the commands that run it (serve, launcher, admin), loaded only by
 * them: every other command starts without it, in about a third of the time. And their settings:
 * an invalid one stops them naming it (exit 1).
 */
import type { Settings } from "@tradai/server";

export const loadServer = () => import("@tradai/server");

export async function settingsOrExit(command: string): Promise<Settings> {
  const { loadSettings, SettingsError } = await loadServer();
  try {
    return loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`tradai ${command}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
