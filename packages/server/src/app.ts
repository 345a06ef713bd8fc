/** @module The HTTP application: plugins, authentication, error handling, and every feature's routes. */
import { randomUUID } from "node:crypto";
import { constants as zlibConstants } from "node:zlib";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import { PROBLEM_CONTENT_TYPE, problemTypes } from "@tradai/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { reportingDatabase } from "./changes/write-guard.js";
import type { Database } from "./db/database.js";
import { activationRoutes } from "./features/activation/routes.js";
import type { ActivationService } from "./features/activation/service.js";
import { auditRoutes } from "./features/audit/routes.js";
import type { AuditWatch } from "./features/audit/watch.js";
import { accountsRoutes } from "./features/auth/accounts-routes.js";
import type { AccountsService } from "./features/auth/accounts-service.js";
import type { Authenticator } from "./features/auth/authenticator.js";
import { type DeclaredRoute, registerAuth } from "./features/auth/hooks.js";
import { registerSecretMasking, secretMasker } from "./features/auth/secret-masking.js";
import { sessionRoutes } from "./features/auth/session-routes.js";
import { catalogRoutes } from "./features/catalog/routes.js";
import type { CatalogService } from "./features/catalog/service.js";
import { catalogStore } from "./features/catalog/store.js";
import { changeRequestRoutes } from "./features/change-requests/routes.js";
import type { ChangeRequestService } from "./features/change-requests/service.js";
import { configRoutes } from "./features/configs/routes.js";
import type { ConfigService } from "./features/configs/service.js";
import { consoleRoutes } from "./features/console/routes.js";
import type { ChangeFeed } from "./features/distribution/feed.js";
import { streamRoutes } from "./features/distribution/routes.js";
import type { Environments } from "./features/environments/environments.js";
import { environmentRoutes } from "./features/environments/routes.js";
import type { EnvironmentService } from "./features/environments/service.js";
import { healthRoutes } from "./features/health/routes.js";
import { importRoutes } from "./features/imports/routes.js";
import type { ImportService } from "./features/imports/service.js";
import { legacyMirrorRoutes } from "./features/legacy-mirror/routes.js";
import type { LegacyMirrorService } from "./features/legacy-mirror/service.js";
import type { PlatformMetrics } from "./features/metrics/registry.js";
import { metricsRoutes } from "./features/metrics/routes.js";
import { parameterSetRoutes } from "./features/parameter-sets/routes.js";
import type { ParameterSetService } from "./features/parameter-sets/service.js";
import type { ResolvedCache } from "./features/resolution/resolved-cache.js";
import { resolutionRoutes } from "./features/resolution/routes.js";
import type { ResolutionService } from "./features/resolution/service.js";
import type { RolloutBook } from "./features/rollouts/book.js";
import { rolloutRoutes } from "./features/rollouts/routes.js";
import type { RolloutService } from "./features/rollouts/service.js";
import { runRoutes } from "./features/runs/routes.js";
import type { RunService } from "./features/runs/service.js";
import type { SubmissionService } from "./features/runs/submission.js";
import { sweepRoutes } from "./features/runs/sweep-routes.js";
import type { SweepService } from "./features/runs/sweeps.js";
import { scheduleRoutes } from "./features/schedules/routes.js";
import type { ScheduleService } from "./features/schedules/service.js";
import { tradingSessionRoutes } from "./features/sessions/routes.js";
import type { SessionService } from "./features/sessions/service.js";
import { shadowRoutes } from "./features/shadow/routes.js";
import type { ShadowStore } from "./features/shadow/store.js";
import { workerRoutes } from "./features/workers/routes.js";
import type { WorkerService } from "./features/workers/service.js";
import { registerErrorHandling } from "./http/error-handler.js";
import { registerIdempotency } from "./http/idempotency.js";
import { BODY_LIMIT_BYTES, registerStrictJsonParser } from "./http/json-body.js";
import { serverLogger } from "./http/logger.js";
import { registerOpenApi } from "./http/openapi/document.js";
import { RequestLog } from "./http/request-log.js";
import { registerSecurityHeaders } from "./http/security-headers.js";
import { registerShutdown, type ShutdownState } from "./http/shutdown.js";
import type { Settings } from "./settings.js";

export interface AppDeps {
  db: Database;
  settings: Pick<
    Settings,
    | "authentication"
    | "rbacMode"
    | "corsOrigins"
    | "trustProxy"
    | "sessionHours"
    | "logLevel"
    | "logFormat"
    | "slowRequestMs"
    | "resultsBucket"
  >;
  authenticator: Authenticator;
  accounts: AccountsService;
  metrics: PlatformMetrics;
  configs: ConfigService;
  activation: ActivationService;
  changeRequests: ChangeRequestService;
  environments: EnvironmentService;
  catalog: CatalogService;
  resolution: ResolutionService;
  submission: SubmissionService;
  sweeps: SweepService;
  runs: RunService;
  parameterSets: ParameterSetService;
  feed: ChangeFeed;
  resolved: ResolvedCache;
  rolloutBook: RolloutBook;
  rollouts: RolloutService;
  schedules: ScheduleService;
  workers: WorkerService;
  sessions: SessionService;
  shadow: ShadowStore;
  imports: ImportService;
  legacyMirrors: LegacyMirrorService;
  audit: AuditWatch;
  environmentNames: Environments;
  version: string;
  /** Called on the new app before any plugin or route: tests add hooks that watch every answer. */
  instrument?: (app: FastifyInstance) => void;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function buildApp(
  deps: AppDeps,
): Promise<{ app: FastifyInstance; routes: DeclaredRoute[]; shutdown: ShutdownState }> {
  const { db, version, settings } = deps;
  const app = Fastify({
    // A pino Logger is a FastifyBaseLogger; typed as the base so routes keep Fastify's default types.
    loggerInstance: serverLogger(settings) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    trustProxy: settings.trustProxy,
    logController: new RequestLog({ requestIdLogLabel: "request_id" }, settings.slowRequestMs),
    // A caller's X-Request-Id is kept (so a trace spans CLI and server) when it is a sane token.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // Requests during shutdown get our own 503 problem+json with Retry-After (http/shutdown.ts).
    return503OnClosing: false,
    // A URL the router cannot even decode (bad percent-encoding) gets a problem+json too.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      reply
        .status(400)
        .type(PROBLEM_CONTENT_TYPE)
        .send({
          type: problemTypes.malformedUrl,
          title: "Malformed URL",
          status: 400,
          detail: `the URL is not valid percent-encoded UTF-8 (${error.message})`,
          instance: request.url,
          request_id: String(request.id),
        });
    },
  });
  deps.instrument?.(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerSecurityHeaders(app);
  // No origin may call the API from a browser unless listed (TRADAI_CORS_ORIGINS).
  await app.register(cors, {
    origin: settings.corsOrigins.length ? [...settings.corsOrigins] : false,
    credentials: true,
  });
  await app.register(cookie);
  registerStrictJsonParser(app);
  registerErrorHandling(app);
  const shutdown = registerShutdown(app);
  const routes = registerAuth(app, {
    authenticator: deps.authenticator,
    defaultEnvironment: deps.environmentNames.defaultName,
    authentication: settings.authentication,
    rbacMode: settings.rbacMode,
    metrics: deps.metrics,
  });
  // After authentication: keys are scoped to the credential.
  registerIdempotency(app, reportingDatabase(db, "idempotent answers", ["idempotency_keys"]));
  const mask = secretMasker(db);
  registerSecretMasking(app, mask);
  // Brotli or gzip by Accept-Encoding for every text answer over 1 KiB (the console's JS above all).
  // Registered after every hook that reads an answer (idempotency stores it): its onSend runs last.
  // Event streams write to the socket themselves and are never buffered by it.
  await app.register(compress, {
    encodings: ["br", "gzip"],
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await registerOpenApi(app, version);

  healthRoutes(app, { db, version, feed: deps.feed, shutdown, s3: settings.resultsBucket !== undefined });
  metricsRoutes(app, deps.metrics);
  sessionRoutes(app, deps.accounts, settings.sessionHours);
  accountsRoutes(app, deps.accounts);
  const showChangeRequest = deps.changeRequests.show;
  configRoutes(app, deps.configs);
  activationRoutes(app, { activation: deps.activation, configs: deps.configs, showChangeRequest });
  environmentRoutes(app, deps.environments, showChangeRequest);
  changeRequestRoutes(app, deps.changeRequests);
  auditRoutes(app, deps);
  catalogRoutes(app, deps.catalog, showChangeRequest);
  shadowRoutes(app, {
    store: deps.shadow,
    environments: deps.environmentNames,
    parameters: () => catalogStore(db).parameters(),
  });
  resolutionRoutes(app, deps.resolution, showChangeRequest);
  runRoutes(app, deps.runs, deps.submission);
  sweepRoutes(app, deps.sweeps);
  parameterSetRoutes(app, deps.parameterSets);
  workerRoutes(app, deps.workers, deps.legacyMirrors);
  rolloutRoutes(app, deps.rollouts, showChangeRequest);
  scheduleRoutes(app, deps.schedules);
  importRoutes(app, deps.imports);
  legacyMirrorRoutes(app, deps.legacyMirrors);
  tradingSessionRoutes(app, deps.sessions);
  streamRoutes(app, { ...deps, environments: deps.environmentNames, mask, shutdown });
  await consoleRoutes(app);
  return { app, routes, shutdown };
}
