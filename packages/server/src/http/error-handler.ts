/** @module One place that turns every failure into `application/problem+json`. */
import { type FieldError, fieldErrorsDetail, PROBLEM_CONTENT_TYPE, type Problem, problemTypes } from "@tradai/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isDatabaseUnavailable } from "../db/database.js";
import { ProblemError, UnauthenticatedError } from "./errors.js";
import { BODY_LIMIT_BYTES } from "./json-body.js";
import { noteProblem } from "./request-log.js";

/** What a client is told to wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const LOCATIONS: Record<string, FieldError["location"]> = {
  body: "body",
  querystring: "query",
  params: "path",
  headers: "header",
};

interface ZodIssueLike {
  instancePath: string;
  message: string;
  params?: { keys?: string[] };
}

/**
 * Zod issues as field errors; `a/b/0` becomes `a.b[0]`, unknown keys become one entry each. Each
 * message is core's predicate ("must be text, got a number"); `detail` puts the field in front.
 */
function validationErrors(issues: ZodIssueLike[], context: string | undefined): FieldError[] {
  const location = LOCATIONS[context ?? "body"] ?? "body";
  return issues.flatMap((issue) => {
    const base = issue.instancePath
      .split("/")
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join("")
      .replace(/^\./, "");
    if (issue.params?.keys?.length) {
      return issue.params.keys.map((key) => ({
        field: base ? `${base}.${key}` : key,
        location,
        message: "is not a known field",
      }));
    }
    return [{ field: base || `(${location})`, location, message: issue.message }];
  });
}

function toProblem(error: FastifyError | ProblemError | Error): Problem {
  if (error instanceof ProblemError) {
    return {
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.detail,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      type: problemTypes.databaseUnavailable,
      title: "Database unavailable",
      status: 503,
      detail: `the database did not answer (${error.message.slice(0, 200)}); nothing was changed by this request unless a later read shows it: retry after ${DATABASE_RETRY_AFTER_SECONDS} s`,
    };
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const errors = validationErrors(
      fastifyError.validation as unknown as ZodIssueLike[],
      fastifyError.validationContext,
    );
    return {
      type: problemTypes.invalidInput,
      title: "Invalid input",
      status: 422,
      detail: fieldErrorsDetail(errors),
      errors,
    };
  }
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        type: problemTypes.payloadTooLarge,
        title: "Payload too large",
        status: 413,
        detail: `the request body is larger than ${BODY_LIMIT_BYTES} bytes (1 MiB)`,
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        type: problemTypes.unsupportedMediaType,
        title: "Unsupported media type",
        status: 415,
        detail: "send the request body as application/json",
      };
  }
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return {
      type: problemTypes.invalidInput,
      title: "Bad request",
      status: fastifyError.statusCode,
      detail: fastifyError.message,
    };
  }
  return {
    type: problemTypes.internal,
    title: "Internal server error",
    status: 500,
    detail: "the server failed to handle the request; the request id identifies it in the server log",
  };
}

function send(reply: FastifyReply, request: FastifyRequest, problem: Problem) {
  return reply
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url, request_id: String(request.id) });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    // Scripts get the Basic challenge; the console (X-Requested-With on its calls, and its event
    // stream) shows its own sign-in page instead of the browser's password prompt.
    const fromConsole = request.headers["x-requested-with"] || request.headers.accept?.includes("text/event-stream");
    if (error instanceof UnauthenticatedError && !fromConsole)
      reply.header("www-authenticate", 'Basic realm="tradai", charset="UTF-8"');
    if (error instanceof ProblemError && error.retryAfterSeconds !== undefined)
      reply.header("retry-after", String(error.retryAfterSeconds));
    if (problem.type === problemTypes.databaseUnavailable)
      reply.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
    // Logged once, with the request's line (request-log.ts): why it was refused, or the error.
    noteProblem(request, {
      detail: problem.detail,
      ...(problem.status >= 500 && problem.status !== 503 ? { err: error } : {}),
    });
    return send(reply, request, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, {
      type: problemTypes.notFound,
      title: "Not found",
      status: 404,
      detail: `no route ${request.method} ${request.url.split("?")[0]}`,
    }),
  );
}
