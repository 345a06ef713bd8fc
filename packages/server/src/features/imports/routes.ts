/** @module HTTP routes of imports from the legacy configuration: plan (dry run) or apply; the imports made. */
import {
  configVersionsImportBody,
  configVersionsImportResult,
  importPlan,
  legacyDbImportBody,
  legacyRunsImportBody,
  legacyRunsImportResult,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { ImportService } from "./service.js";

const tags = ["imports"];
/** A legacy history of 10,000 rows of 60 parameters is about 15 MiB: far above the API's 1 MiB. */
export const IMPORT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
const applied = importPlan.extend({
  applied_by: z.string(),
  applied_at: z.string(),
  undone_at: z.string().nullable().describe("when it was undone (tradai import undo), if it was"),
});

export function importRoutes(app: FastifyInstance, service: ImportService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/imports/legacy-db",
    {
      config: { action: "imports.write", environment: "body.environment" },
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      schema: {
        operationId: "importLegacyDb",
        tags,
        summary:
          "Import the legacy base row and its history as versions of one strategy, the newest active in one environment: the plan (a dry run, the default), or with apply: true, all of it in one governed change",
        body: legacyDbImportBody,
        response: { 200: importPlan, ...problemResponses(403, 409, 422) },
      },
    },
    (request) => service.legacyDb(request.body, requestActor(request)),
  );

  r.post(
    "/api/v1/imports/config-versions",
    {
      config: { action: "imports.write", environment: "body.environment" },
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      schema: {
        operationId: "importConfigVersions",
        tags,
        summary:
          "Import the legacy config-versions registry (DynamoDB items) and the strategies' YAML files of one environment: ids kept where consistent, inconsistencies reported; the plans (a dry run, the default), or with apply: true, all strategies in one governed change",
        body: configVersionsImportBody,
        response: { 200: configVersionsImportResult, ...problemResponses(403, 409, 422) },
      },
    },
    (request) => service.configVersions(request.body, requestActor(request)),
  );

  r.post(
    "/api/v1/imports/legacy-runs",
    {
      config: { action: "imports.write", environment: "body.environment" },
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      schema: {
        operationId: "importLegacyRuns",
        tags,
        summary:
          "Register runs from before the migration (finetune_runs rows, a results bucket) as ended runs of kind legacy, each bound to a parameter set of the legacy schema: no comparison judges them, none can be re-run. The plan (a dry run, the default), or with apply: true, all in one governed change; registered once per source and id",
        body: legacyRunsImportBody,
        response: { 200: legacyRunsImportResult, ...problemResponses(403, 422) },
      },
    },
    (request) => service.legacyRuns(request.body, requestActor(request)),
  );

  r.get(
    "/api/v1/imports",
    {
      config: { action: "imports.read" },
      schema: {
        operationId: "listImports",
        tags,
        summary: "Imports applied, newest first",
        response: { 200: z.object({ items: z.array(applied) }) },
      },
    },
    () => service.list(),
  );

  r.post(
    "/api/v1/imports/:id/undo",
    {
      config: { action: "imports.write" },
      schema: {
        operationId: "undoImport",
        tags,
        summary:
          "Undo an import through history: the version active before it is active again, the versions it made are deprecated (their history stays)",
        params: z.object({ id: z.uuid() }),
        response: {
          200: z.object({
            import_id: z.string(),
            strategy: z.string(),
            environment: z.string(),
            reactivated: z.string().nullable(),
            deprecated: z.array(z.string()),
          }),
          ...problemResponses(403, 404, 409),
        },
      },
    },
    (request) => service.undo(request.params.id, requestActor(request)),
  );

  r.get(
    "/api/v1/imports/:id",
    {
      config: { action: "imports.read" },
      schema: {
        operationId: "getImport",
        tags,
        summary: "One import: every legacy row and the version it became, reverts included",
        params: z.object({ id: z.uuid() }),
        response: { 200: applied, ...problemResponses(404) },
      },
    },
    (request) => service.get(request.params.id),
  );
}
