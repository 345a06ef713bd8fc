/** @module Settings for the long-running commands: an invalid one stops them naming it (exit 1). */
import { loadSettings, type Settings, SettingsError } from "@tradai/server";

export function settingsOrExit(command: string): Settings {
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
