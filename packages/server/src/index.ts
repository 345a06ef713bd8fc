/** @module @tradai/server: the platform's HTTP server, store and services. */
export { buildApp } from "./app.js";
export type { Database, Queryable } from "./db/database.js";
export { loadMigrations, migrate } from "./db/migrate.js";
export { openPgliteDatabase } from "./db/pglite-database.js";
export { openPostgresDatabase } from "./db/postgres-database.js";
export { FIRST_CREDENTIALS_FILE } from "./features/auth/first-credentials.js";
export { resetPasswordOffline } from "./features/auth/offline-reset.js";
export { reconnectWindowMs, reportWindowMs } from "./features/distribution/stream.js";
export { usesPrettyLogs } from "./http/logger.js";
export { startLauncherProcess } from "./launcher-process.js";
export { openDatabase, type Platform, type PlatformOptions, startPlatform } from "./platform.js";
export { loadSettings, SETTING_VARIABLES, type Settings, SettingsError } from "./settings.js";
export { PLATFORM_VERSION } from "./version.js";
