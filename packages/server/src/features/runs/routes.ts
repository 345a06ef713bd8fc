/** @module HTTP routes of backtest runs. */
import {
  compareRunsQuery,
  environmentQuery,
  jobPathParams,
  listRunsQuery,
  run,
  runComparison,
  runEquity,
  runList,
  runLogs,
  runReportData,
  runTrace,
  submitBacktestBody,
  submitBacktestResponse,
} from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { RunService } from "./service.js";
import type { SubmissionService } from "./submission.js";

const tags = ["backtests"];

export function runRoutes(app: FastifyInstance, runs: RunService, submission: SubmissionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/backtests",
    {
      config: { action: "runs.submit", environment: "query.environment" },
      schema: {
        operationId: "submitBacktest",
        tags,
        summary: "Submit a backtest: binds it to a parameter set and queues it",
        querystring: environmentQuery,
        body: submitBacktestBody,
        response: { 202: submitBacktestResponse, ...problemResponses(400, 404, 409, 413, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await submission.submit(request.body, requestActor(request), request.query.environment, request.log)),
  );

  r.get(
    "/api/v1/backtests",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "listRuns",
        tags,
        summary: "List runs, newest first",
        querystring: listRunsQuery,
        response: { 200: runList, ...problemResponses(422) },
      },
    },
    (request) => {
      const { limit, offset, ...filter } = request.query;
      return runs.list(filter, { limit, offset }, requestActor(request));
    },
  );

  r.get(
    "/api/v1/backtests/:job_id",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "getRun",
        tags,
        summary: "One run",
        params: jobPathParams,
        response: { 200: run, ...problemResponses(404, 422) },
      },
    },
    (request) => runs.get(request.params.job_id, requestActor(request)),
  );

  r.get(
    "/api/v1/runs/compare",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "compareRuns",
        tags,
        summary:
          "What comparing run a with run b allows (strict, relaxed, forbidden), every difference with why it matters or not, and their metrics with b - a",
        querystring: compareRunsQuery,
        response: { 200: runComparison, ...problemResponses(403, 404, 422) },
      },
    },
    (request) => runs.compare(request.query.a, request.query.b, requestActor(request)),
  );

  r.post(
    "/api/v1/backtests/:job_id/cancel",
    {
      config: { action: "runs.cancel" },
      schema: {
        operationId: "cancelRun",
        tags,
        summary: "Cancel: a queued run at once; a running one's worker gets SIGTERM, then SIGKILL after a grace period",
        params: jobPathParams,
        response: { 200: run, ...problemResponses(404, 409, 422) },
      },
    },
    (request) => runs.cancel(request.params.job_id, requestActor(request)),
  );

  r.post(
    "/api/v1/backtests/:job_id/rerun",
    {
      config: { action: "runs.submit" },
      schema: {
        operationId: "rerunRun",
        tags,
        summary: "A new run bound to the same parameter set (nothing is re-resolved)",
        params: jobPathParams,
        // 409: a run that cannot be re-run (a legacy run, bound to the legacy schema).
        response: { 202: submitBacktestResponse, ...problemResponses(404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await submission.rerun(request.params.job_id, requestActor(request))),
  );

  r.get(
    "/api/v1/backtests/:job_id/logs",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "getRunLogs",
        tags,
        summary: "The worker's stdout/stderr and the launcher's notes, in order",
        params: jobPathParams,
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
        }),
        response: { 200: runLogs, ...problemResponses(404, 422) },
      },
    },
    (request) => runs.logs(request.params.job_id, request.query.after, request.query.limit, requestActor(request)),
  );

  r.get(
    "/api/v1/backtests/:job_id/equity",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "getRunEquity",
        tags,
        summary: "The equity curve from the result",
        params: jobPathParams,
        response: { 200: runEquity, ...problemResponses(404, 409, 422) },
      },
    },
    (request) => runs.equity(request.params.job_id, requestActor(request)),
  );

  r.get(
    "/api/v1/backtests/:job_id/report-data",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "getRunReportData",
        tags,
        summary: "Run, parameter set, metrics, trades and equity curve for a report",
        params: jobPathParams,
        response: { 200: runReportData, ...problemResponses(404, 409, 422) },
      },
    },
    (request) => runs.reportData(request.params.job_id, requestActor(request)),
  );

  r.get(
    "/api/v1/backtests/:job_id/report.pdf",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "getRunReportPdf",
        tags,
        summary: "The run's report as a PDF: identity, parameters with provenance, metrics, equity curve",
        params: jobPathParams,
        produces: ["application/pdf"],
        response: { 200: z.custom<Buffer>().describe("the PDF document"), ...problemResponses(404, 422) },
      },
    },
    async (request, reply) => {
      // pdfkit and its fonts load with the first report, not with the server (its start-up is faster).
      const [{ renderRunReport }, data] = await Promise.all([
        import("./report-pdf.js"),
        runs.reportData(request.params.job_id, requestActor(request)),
      ]);
      const pdf = await renderRunReport(data);
      return reply
        .header("content-type", "application/pdf")
        .header("content-disposition", `attachment; filename="tradai-run-${request.params.job_id}.pdf"`)
        .send(pdf);
    },
  );

  r.get(
    "/api/v1/backtests/:job_id/trace",
    {
      config: { action: "runs.read" },
      schema: {
        operationId: "traceRun",
        tags,
        summary: "The five propagation points of config_version_id and parameter_set_hash, side by side",
        params: jobPathParams,
        response: { 200: runTrace, ...problemResponses(404, 422) },
      },
    },
    (request) => runs.trace(request.params.job_id, requestActor(request)),
  );

  r.post(
    "/api/v1/backtests/:job_id/progress",
    {
      config: { action: "runs.progress" },
      schema: {
        operationId: "reportRunProgress",
        tags,
        summary: "Progress from the run's worker (Authorization: Bearer <TRADAI_RUN_TOKEN>)",
        params: jobPathParams,
        body: z.strictObject({ progress: z.number().min(0).max(100), message: z.string().max(500).optional() }),
        response: { 204: z.null().describe("Progress recorded"), ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const auth = request.headers.authorization;
      const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
      await runs.reportProgress(request.params.job_id, token, request.body.progress, request.body.message ?? null);
      return reply.status(204).send(null);
    },
  );
}
