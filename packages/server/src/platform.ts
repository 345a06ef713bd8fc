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
import { catalogServiceFactory } from "./features/catalog/service.js";
import { startPurgeJob } from "./features/configs/purge-job.js";
import { configServiceFactory } from "./features/configs/service.js";
import { environmentsFactory, syncEnvironments } from "./features/environments/environments.js";
import { parameterSetServiceFactory } from "./features/parameter-sets/service.js";
import { resolutionServiceFactory } from "./features/resolution/service.js";
import type { Launcher } from "./features/runs/launcher/local-launcher.js";
import { launcherFor, runRuntime } from "./features/runs/runtime.js";
import { runServiceFactory } from "./features/runs/service.js";
import { submissionServiceFactory } from "./features/runs/submission.js";
import type { Settings } from "./settings.js";
import { PLATFORM_VERSION } from "./version.js";

export interface Platform {
  app: FastifyInstance;
  db: Database;
  /** Where it listens, e.g. http://127.0.0.1:8000 */
  url: string;
  /** The in-process launcher, when TRADAI_LAUNCHER=local */
  launcher: Launcher | undefined;
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
    const catalog = catalogServiceFactory({ db });
    const configs = configServiceFactory({
      db,
      environments,
      catalog,
      protectedEnvironment: settings.protectedEnvironment,
      deprecatedTtlDays: settings.deprecatedTtlDays,
    });
    const runtime = runRuntime(settings);
    const app = await buildApp({
      db,
      configs,
      catalog,
      resolution: resolutionServiceFactory({ db, environments }),
      submission: submissionServiceFactory({
        db,
        environments,
        tasks: runtime.tasks,
        platformVersion: PLATFORM_VERSION,
        launcher: "local",
      }),
      runs: runServiceFactory({ db, artifacts: runtime.artifacts, tracker: runtime.tracker }),
      parameterSets: parameterSetServiceFactory({ db }),
      version: PLATFORM_VERSION,
      logLevel: settings.logLevel,
    });
    if (settings.demoData && (await loadDemoData(db, configs, catalog)))
      app.log.info("loaded demo data into the empty database");
    const address = await app.listen({ host: settings.host, port: settings.port });
    const url = address.replace("[::1]", "localhost");
    const purge = startPurgeJob(configs, settings.purgeIntervalSeconds * 1000, app.log);
    const launcher =
      settings.launcher === "local"
        ? launcherFor(settings, db, runtime, settings.publicUrl ?? url, app.log)
        : undefined;
    return {
      app,
      db,
      url,
      launcher,
      async close() {
        purge.stop();
        await launcher?.stop();
        await app.close();
        if (!givenDb) await db.close();
      },
    };
  } catch (error) {
    if (!givenDb) await db.close().catch(() => {});
    throw error;
  }
}
