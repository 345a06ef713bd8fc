/** @module The HTTP application: plugins, error handling, and every feature's routes. */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Database } from "./db/database.js";
import { catalogRoutes } from "./features/catalog/routes.js";
import type { CatalogService } from "./features/catalog/service.js";
import { configRoutes } from "./features/configs/routes.js";
import type { ConfigService } from "./features/configs/service.js";
import { healthRoutes } from "./features/health/routes.js";
import { parameterSetRoutes } from "./features/parameter-sets/routes.js";
import type { ParameterSetService } from "./features/parameter-sets/service.js";
import { resolutionRoutes } from "./features/resolution/routes.js";
import type { ResolutionService } from "./features/resolution/service.js";
import { runRoutes } from "./features/runs/routes.js";
import type { RunService } from "./features/runs/service.js";
import type { SubmissionService } from "./features/runs/submission.js";
import { registerErrorHandling } from "./http/error-handler.js";
import { BODY_LIMIT_BYTES, registerStrictJsonParser } from "./http/json-body.js";
import { registerOpenApi } from "./http/openapi.js";

export interface AppDeps {
  db: Database;
  configs: ConfigService;
  catalog: CatalogService;
  resolution: ResolutionService;
  submission: SubmissionService;
  runs: RunService;
  parameterSets: ParameterSetService;
  version: string;
  logLevel: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db, version, logLevel } = deps;
  const app = Fastify({
    logger: { level: logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: "request_id" }),
    // A caller's X-Request-Id is kept (so a trace spans CLI and server) when it is a sane token.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerStrictJsonParser(app);
  registerErrorHandling(app);
  await registerOpenApi(app, version);

  healthRoutes(app, db, version);
  configRoutes(app, deps.configs);
  catalogRoutes(app, deps.catalog);
  resolutionRoutes(app, deps.resolution);
  runRoutes(app, deps.runs, deps.submission);
  parameterSetRoutes(app, deps.parameterSets);
  return app;
}
