/**
 * @module The composition root: settings -> database (migrated) -> services -> HTTP app ->
 * background jobs. `startPlatform` is what `tradai serve` runs; tests call it too.
 */
import { resolve } from "node:path";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { changeKernel } from "./changes/kernel.js";
import { guardWrites, reportingDatabase } from "./changes/write-guard.js";
import { countedDatabase } from "./db/counted-database.js";
import type { Database } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { openPgliteDatabase } from "./db/pglite-database.js";
import { openPostgresDatabase } from "./db/postgres-database.js";
import { createDemoApprover, DEMO_APPROVER } from "./demo/demo-approver.js";
import { loadDemoData } from "./demo/demo-data.js";
import { activationServiceFactory } from "./features/activation/service.js";
import { webhookAlerts } from "./features/alerts/webhook.js";
import { anchorSink } from "./features/audit/anchor-sink.js";
import { auditWatch } from "./features/audit/watch.js";
import { accountsServiceFactory } from "./features/auth/accounts-service.js";
import { authenticatorFactory } from "./features/auth/authenticator.js";
import { ensureFirstAdmin } from "./features/auth/bootstrap.js";
import {
  firstCredentialsNotice,
  type GeneratedCredential,
  keepFirstCredentials,
} from "./features/auth/first-credentials.js";
import type { DeclaredRoute } from "./features/auth/hooks.js";
import { loginLimiter } from "./features/auth/login-limiter.js";
import { oidcVerifier } from "./features/auth/oidc.js";
import { principalCache, watchAuthChanges } from "./features/auth/principal-cache.js";
import { isFirstStart, loadCatalogPreset } from "./features/catalog/preset.js";
import { catalogServiceFactory } from "./features/catalog/service.js";
import { changeRequestServiceFactory } from "./features/change-requests/service.js";
import { startPurgeJob } from "./features/configs/purge-job.js";
import { configServiceFactory } from "./features/configs/service.js";
import { startChangeFeed } from "./features/distribution/feed.js";
import { environmentsFactory, syncEnvironments } from "./features/environments/environments.js";
import { environmentServiceFactory } from "./features/environments/service.js";
import { importServiceFactory } from "./features/imports/service.js";
import { startLegacyMirror } from "./features/legacy-mirror/runner.js";
import { legacyMirrorServiceFactory } from "./features/legacy-mirror/service.js";
import { type PlatformMetrics, platformMetrics, registerCollectedMetrics } from "./features/metrics/registry.js";
import { parameterSetServiceFactory } from "./features/parameter-sets/service.js";
import { resolvedCache } from "./features/resolution/resolved-cache.js";
import { resolutionServiceFactory } from "./features/resolution/service.js";
import { rolloutBook as createRolloutBook } from "./features/rollouts/book.js";
import { type RolloutDriver, startRolloutDriver } from "./features/rollouts/driver.js";
import { rolloutServiceFactory } from "./features/rollouts/service.js";
import type { Launcher } from "./features/runs/launcher/local-launcher.js";
import { launcherFor, runRuntime } from "./features/runs/runtime.js";
import { runServiceFactory } from "./features/runs/service.js";
import { submissionServiceFactory } from "./features/runs/submission.js";
import { sweepServiceFactory } from "./features/runs/sweeps.js";
import { scheduleServiceFactory } from "./features/schedules/service.js";
import { sessionRecorder } from "./features/sessions/recorder.js";
import { sessionServiceFactory } from "./features/sessions/service.js";
import { shadowStore } from "./features/shadow/store.js";
import { reporterCheck } from "./features/workers/credentials.js";
import { startWorkerMonitor, type WorkerMonitor } from "./features/workers/monitor.js";
import { workerServiceFactory } from "./features/workers/service.js";
import { forgetIdempotencyKeys } from "./http/idempotency.js";
import { kernelSources } from "./kernel-sources.js";
import type { Settings } from "./settings.js";
import { PLATFORM_VERSION } from "./version.js";

export interface Platform {
  app: FastifyInstance;
  db: Database;
  /** Where it listens, e.g. http://127.0.0.1:8000 */
  url: string;
  /** The in-process launcher, when TRADAI_LAUNCHER=local */
  launcher: Launcher | undefined;
  /** Every route with the action it declares (for the route x role test). */
  routes: DeclaredRoute[];
  /** The lagging/stale worker alerts (checks on a timer; tests call check()). */
  workerMonitor: WorkerMonitor;
  /** Moves staged rollouts on (a timer; tests call tick()). */
  rolloutDriver: RolloutDriver;
  metrics: PlatformMetrics;
  close(): Promise<void>;
}

export function openDatabase(settings: Settings): Promise<Database> {
  return settings.databaseUrl
    ? openPostgresDatabase(settings.databaseUrl, {
        maxConnections: settings.databasePoolSize,
        connectTimeoutMs: settings.databaseTimeouts.connectSeconds * 1000,
        statementTimeoutMs: settings.databaseTimeouts.statementSeconds * 1000,
        lockTimeoutMs: settings.databaseTimeouts.lockSeconds * 1000,
      })
    : openPgliteDatabase(resolve(settings.dataDir));
}

/** For tests: `instrument` sees the app before its plugins and routes (see AppDeps). */
export interface PlatformOptions {
  instrument?: (app: FastifyInstance) => void;
}

/** Starts everything on an already open database (tests pass their own), or opens the configured one. */

export async function startPlatform(
  settings: Settings,
  givenDb?: Database,
  options: PlatformOptions = {},
): Promise<Platform> {
  const metrics = platformMetrics();
  const raw = countedDatabase(givenDb ?? (await openDatabase(settings)), (kind) =>
    metrics.databaseStatements.inc({ kind }),
  );
  try {
    await migrate(raw, undefined, settings.databaseTimeouts.migrationSeconds * 1000);
    await syncEnvironments(raw, settings.environments);
    // From here on every write goes through the change kernel (or is a report of what happened).
    const db = guardWrites(raw);
    const environments = environmentsFactory(settings.environments, settings.defaultEnvironment);
    let log: FastifyBaseLogger | undefined;
    const alerts = webhookAlerts(settings.alertWebhookUrl, () => log);
    const changes = changeKernel({
      db,
      sources: kernelSources(),
      changeRequestTtlHours: settings.changeRequestTtlHours,
      announce: alerts.announce,
      log: () => log,
    });
    const generatedPassword = await ensureFirstAdmin(db, changes, settings.adminPassword);
    const catalog = catalogServiceFactory({ db, changes });
    const configs = configServiceFactory({ db, changes, environments, deprecatedTtlDays: settings.deprecatedTtlDays });
    const environmentService = environmentServiceFactory({ db, environments, changes });
    const changeRequests = changeRequestServiceFactory({ db, changes, announce: alerts.announce });
    const activation = activationServiceFactory({
      db,
      changes,
      environments,
    });
    const credentials = principalCache();
    // Only a worker's own credential reports for it: heartbeats and the sessions route share one check.
    const reporters = reporterCheck(reportingDatabase(db, "worker heartbeats", ["workers"]));
    const stopWatchingAuth = await watchAuthChanges(db, credentials, reporters);
    const authenticator = authenticatorFactory({
      db: reportingDatabase(db, "credential use", ["service_tokens"]),
      cache: credentials,
      limiter: loginLimiter(settings.loginMaxFailures),
      oidc: settings.oidc && oidcVerifier(settings.oidc),
      onPasswordCheck: () => metrics.passwordChecks.inc(),
    });
    const runtime = runRuntime(settings);
    const feed = await startChangeFeed(db, () => log);
    feed.subscribe((event) => metrics.notifyLag.observe(Math.max(0, (Date.now() - Date.parse(event.at)) / 1000)));
    const resolved = resolvedCache(db, feed, { staleMaxMs: settings.staleReadsMaxSeconds * 1000 });
    // Who resolves which version while staged rollouts run (dropped by the feed like the cache).
    const rolloutBook = createRolloutBook(db, feed, resolved, { staleMaxMs: settings.staleReadsMaxSeconds * 1000 });
    // The tamper alarm: each new audit entry checked as it commits, the whole chain periodically.
    const sink = anchorSink(settings.audit.anchorSink, settings.s3Endpoint);
    const audit = await auditWatch({
      db,
      verifyIntervalMs: settings.audit.verifyIntervalSeconds * 1000,
      anchors: sink && { sink, intervalMs: settings.audit.anchorIntervalSeconds * 1000 },
      alerts,
      log: () => log,
      metrics: {
        chainOk: (ok) => metrics.auditChainOk.set(ok ? 1 : 0),
        headSeq: (seq) => metrics.auditHeadSeq.set(seq),
        anchored: (seq) => metrics.auditAnchorSeq.set(seq),
        anchorFailed: () => metrics.auditAnchorFailures.inc(),
      },
    });
    // Sessions' history: reports of what workers applied, to the runs and parameter sets they open.
    const sessionsRecorder = sessionRecorder(
      reportingDatabase(db, "worker sessions", ["runs", "session_history", "parameter_sets"]),
      {
        platformVersion: PLATFORM_VERSION,
        observeBatch: (rows) => {
          metrics.sessionHistoryWrites.inc();
          metrics.sessionHistoryRows.inc(rows);
        },
      },
    );
    feed.subscribe(() => sessionsRecorder.changeSeen());
    // What workers would have applied of shadow parameters: the evidence for switching one to hot.
    const shadow = shadowStore(reportingDatabase(db, "shadow observations", ["shadow_observations"]));
    const workers = workerServiceFactory({
      db: reportingDatabase(db, "worker heartbeats", ["workers"]),
      changes,
      reporters,
      sessions: sessionsRecorder,
      shadow,
      environments,
      thresholds: {
        lagSeconds: settings.workerLagSeconds,
        staleSeconds: settings.workerStaleSeconds,
        lagVersions: settings.workerLagVersions,
        retireAfterSeconds: settings.workerRetireAfterSeconds,
      },
      rollouts: rolloutBook,
      observePropagation: (environment, seconds) => metrics.propagation.observe({ environment }, seconds),
      observeSignals: {
        applied: (environment, seconds) => metrics.versionApplied.observe({ environment }, seconds),
        violations: (environment, count) => metrics.applyViolations.inc({ environment }, count),
      },
      feed,
    });
    const rollouts = rolloutServiceFactory({ db, changes, environments, workers });
    const schedules = scheduleServiceFactory({ db, changes, environments, alerts, changeRequests, log: () => log });
    // Every environment's violations series exists from the start at 0, so the first violation is an increase.
    for (const environment of environments.names) metrics.applyViolations.inc({ environment }, 0);
    const legacyMirrors = legacyMirrorServiceFactory({
      db,
      changes,
      environments,
      urls: settings.legacyMirror.urls,
    });
    registerCollectedMetrics(metrics, {
      legacyMirrors: () => legacyMirrors.list(),
      workers: () => workers.list(),
      workerSeriesMax: settings.workerMetricsMax,
      feedSeq: () => feed.seq,
      environments: () => environments.names,
      activationsByEnvironment: async () =>
        (
          await db.query<{ environment: string; count: string | number }>(
            "SELECT environment, count(*) AS count FROM activations GROUP BY environment",
          )
        ).rows.map((r) => ({ environment: r.environment, count: Number(r.count) })),
    });
    const { app, routes, shutdown } = await buildApp({
      instrument: options.instrument,
      db,
      settings,
      audit,
      authenticator,
      accounts: accountsServiceFactory({
        db,
        changes,
        authenticator,
        environments,
        sessionHours: settings.sessionHours,
        loginTokenDays: settings.loginTokenDays,
      }),
      metrics,
      configs,
      activation,
      changeRequests,
      environments: environmentService,
      catalog,
      resolution: resolutionServiceFactory({ db, environments, resolved, rolloutBook, changes }),
      resolved,
      rolloutBook,
      rollouts,
      schedules,
      submission: submissionServiceFactory({
        db,
        changes,
        environments,
        tasks: runtime.tasks,
        platformVersion: PLATFORM_VERSION,
        launcher: "local",
      }),
      sweeps: sweepServiceFactory({
        db,
        changes,
        environments,
        tasks: runtime.tasks,
        platformVersion: PLATFORM_VERSION,
        launcher: "local",
      }),
      runs: runServiceFactory({
        db,
        changes,
        reports: reportingDatabase(db, "run progress", ["runs"]),
        artifacts: runtime.artifacts,
        tracker: runtime.tracker,
      }),
      parameterSets: parameterSetServiceFactory({ db }),
      feed,
      workers,
      shadow,
      imports: importServiceFactory({ db, changes, environments, deprecatedTtlDays: settings.deprecatedTtlDays }),
      legacyMirrors,
      sessions: sessionServiceFactory({
        db,
        environments,
        recorder: sessionsRecorder,
        mayReport: (actor, workerId, environment) => reporters.assertMayReport(actor, workerId, environment),
      }),
      environmentNames: environments,
      version: PLATFORM_VERSION,
    });
    log = app.log;
    if (settings.authentication === "off")
      app.log.warn("authentication is OFF (TRADAI_AUTH=off): every request acts as an admin");
    const generated: GeneratedCredential[] = generatedPassword
      ? [{ username: "admin", role: "admin", password: generatedPassword }]
      : [];
    // Decided before either loads: the preset must not make the demo's database look used.
    const firstStart = await isFirstStart(db);
    if (firstStart && settings.catalogPreset !== "none") {
      const count = await loadCatalogPreset(catalog, settings.catalogPreset);
      app.log.info(
        { preset: settings.catalogPreset, parameters: count },
        "loaded the catalog preset into the empty database",
      );
    }
    if (firstStart && settings.demoData && (await loadDemoData({ configs, catalog, activation, changeRequests }))) {
      app.log.info("loaded demo data into the empty database");
      const approverPassword = await createDemoApprover(changes);
      if (approverPassword) generated.push({ username: DEMO_APPROVER, role: "approver", password: approverPassword });
    }
    if (generated.length > 0) {
      // Printed once, on stderr, not through the log (which may be shipped elsewhere), and kept in a 0600 file.
      process.stderr.write(firstCredentialsNotice(generated, keepFirstCredentials(settings.dataDir, generated)));
    }
    const address = await app.listen({ host: settings.host, port: settings.port });
    const url = address.replace("[::1]", "localhost");
    const purge = startPurgeJob(configs, settings.purgeIntervalSeconds * 1000, app.log);
    // Idempotency keys are kept a day: a retry comes within minutes.
    const idempotencyDb = reportingDatabase(db, "idempotency keys", ["idempotency_keys"]);
    const forgetKeys = setInterval(
      () =>
        void forgetIdempotencyKeys(idempotencyDb, 24).catch((error) =>
          app.log.warn({ err: error }, "forgetting old idempotency keys failed"),
        ),
      3_600_000,
    );
    forgetKeys.unref();
    const workerMonitor = startWorkerMonitor({
      db: reportingDatabase(db, "worker alerts", ["worker_alerts"]),
      workers,
      alerts,
      metrics,
      intervalMs: settings.workerCheckSeconds * 1000,
      log: () => log,
    });
    const rolloutDriver = startRolloutDriver({
      db,
      rollouts,
      schedules,
      changes,
      alerts,
      metrics,
      intervalMs: settings.rolloutTickSeconds * 1000,
      log: () => log,
    });
    // Old workers read the legacy row at pod start: it follows each change of a mirrored strategy.
    const legacyMirror = startLegacyMirror({
      db: reportingDatabase(db, "legacy mirror progress", ["legacy_mirror_state"]),
      urls: settings.legacyMirror.urls,
      intervalMs: settings.legacyMirror.intervalSeconds * 1000,
      feed,
      log: () => log,
      onOutcome: (environment, outcome) => metrics.legacyMirrorWrites.inc({ environment, outcome }),
    });
    const launcher =
      settings.launcher === "local"
        ? launcherFor(settings, launcherDatabase(db), runtime, settings.publicUrl ?? url, app.log)
        : undefined;
    return {
      app,
      db: raw,
      url,
      launcher,
      routes,
      workerMonitor,
      rolloutDriver,
      metrics,
      async close() {
        // New requests get 503 at once; app.close() ends every stream (and any still opening) and
        // waits for the requests in flight, which still have the feed and the database.
        shutdown.begin();
        purge.stop();
        clearInterval(forgetKeys);
        // Each step that takes long is said (the grace period may run out on it).
        const step = async (what: string, work: () => Promise<unknown> | undefined) => {
          const started = performance.now();
          // Said while it lasts too: a process killed at the end of its grace period says no more.
          const slow = setTimeout(() => app.log.warn({ step: what }, `shutting down: still ${what} after 2 s`), 2000);
          try {
            await work();
          } finally {
            clearTimeout(slow);
          }
          const ms = performance.now() - started;
          if (ms > 2000)
            app.log.warn({ step: what, ms: Math.round(ms) }, `shutting down: ${what} took ${(ms / 1000).toFixed(1)} s`);
        };
        await step("closing the HTTP server (its streams and requests in flight)", () => app.close());
        await step("stopping the worker monitor", () => workerMonitor.stop());
        await step("stopping the rollout driver", () => rolloutDriver.stop());
        await step("stopping the legacy mirror", () => legacyMirror.stop());
        await step("stopping the auth watch", () => stopWatchingAuth());
        await step("stopping the change feed", () => feed.stop());
        await step("stopping the audit checks", () => audit.stop());
        await step("stopping the launcher", () => launcher?.stop());
        await step("writing the last heartbeats", () => workers.stop());
        await step("writing the last session history", () => sessionsRecorder.stop());
        if (!givenDb) await step("closing the database", () => raw.close());
      },
    };
  } catch (error) {
    if (!givenDb) await raw.close().catch(() => {});
    throw error;
  }
}

/** What a launcher writes: the runs it claims and their lifecycle and logs (reports, not changes). */
export const launcherDatabase = (db: Database) => reportingDatabase(db, "run launcher", ["runs", "run_logs"]);
