/**
 * @module The composition root: settings -> database (migrated) -> services -> HTTP app ->
 * background jobs. `startPlatform` is what `tradai serve` runs; tests call it too.
 */
import { resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { Database } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { openPgliteDatabase } from "./db/pglite-database.js";
import { openPostgresDatabase } from "./db/postgres-database.js";
import { loadDemoData } from "./demo/demo-data.js";
import { startPurgeJob } from "./features/configs/purge-job.js";
import { configServiceFactory } from "./features/configs/service.js";
import { environmentsFactory, syncEnvironments } from "./features/environments/environments.js";
import type { Settings } from "./settings.js";
import { PLATFORM_VERSION } from "./version.js";

export interface Platform {
  app: FastifyInstance;
  db: Database;
  /** Where it listens, e.g. http://127.0.0.1:8000 */
  url: string;
  close(): Promise<void>;
}

export function openDatabase(settings: Settings): Promise<Database> {
  return settings.databaseUrl
    ? openPostgresDatabase(settings.databaseUrl, settings.databasePoolSize)
    : openPgliteDatabase(resolve(settings.dataDir));
}

/** Starts everything on an already open database (tests pass their own), or opens the configured one. */
export async function startPlatform(settings: Settings, givenDb?: Database): Promise<Platform> {
  const db = givenDb ?? (await openDatabase(settings));
  try {
    await migrate(db);
    await syncEnvironments(db, settings.environments);
    const environments = environmentsFactory(settings.environments, settings.defaultEnvironment);
    const configs = configServiceFactory({ db, environments, deprecatedTtlDays: settings.deprecatedTtlDays });
    const app = await buildApp({ db, configs, version: PLATFORM_VERSION, logLevel: settings.logLevel });
    if (settings.demoData && (await loadDemoData(db, configs)))
      app.log.info("loaded demo data into the empty database");
    const address = await app.listen({ host: settings.host, port: settings.port });
    const purge = startPurgeJob(configs, settings.purgeIntervalSeconds * 1000, app.log);
    return {
      app,
      db,
      url: address.replace("[::1]", "localhost"),
      async close() {
        purge.stop();
        await app.close();
        if (!givenDb) await db.close();
      },
    };
  } catch (error) {
    if (!givenDb) await db.close().catch(() => {});
    throw error;
  }
}
